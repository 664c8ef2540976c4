using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Feedback;
using Rotations.Web.Features.People;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Readiness;

public sealed record RatingInput(Guid? CompetencyId, int? Rating, string? Comment);

/// <summary>A review as its writer sends it. Nullable so that a missing field is named; <see cref="Level"/> only when creating.</summary>
public sealed record ReviewRequest(string? Level, string? Decision, string? Rationale, IReadOnlyList<RatingInput>? Ratings);

public sealed record ReturnRequest(string? Comment);

public sealed record RatingDto(Guid CompetencyId, string CompetencyName, int Rating, string RatingLabel, string Comment);

/// <summary>
/// A readiness review. <see cref="DecisionLabel"/> is the band's label at submission (a draft shows today's);
/// <see cref="IsCurrent"/> marks the review whose decision counts now; <see cref="SupersededById"/> the later one.
/// </summary>
public sealed record ReviewDto(
    Guid Id, Guid LeaderId, string LeaderName, Level Level, ReviewStatus Status,
    Guid AuthorId, string AuthorName, string? Decision, string? DecisionLabel, string Rationale, IReadOnlyList<RatingDto> Ratings,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? SubmittedAt, string? SubmittedByName,
    Guid? ReturnedFromId, DateTimeOffset? ReturnedAt, string? ReturnedByName, string? ReturnComment,
    bool IsCurrent, Guid? SupersededById, bool CanEdit, uint Version);


/// <summary>
/// Readiness reviews. The leader's manager or HR writes one for a level as a draft (one open draft per leader
/// and level), then submits it: a decision, a rationale, and a rating for every competency of the framework.
/// A submitted review never changes (the database refuses it too); a later one supersedes it. HR may return a
/// submitted review for calibration with a comment: it stays as it was, marked returned, and a new draft opens
/// from its content. The leader reads their submitted and returned reviews, never drafts; others get 404.
/// </summary>
public sealed class ReviewService(RotationsDbContext db, TimeProvider clock)
{
    public const int MaxRatings = 100;

    /// <summary>May write reviews of this leader: their manager, or HR; never the leader themself.</summary>
    public static bool CanReview(ClaimsPrincipal user, Guid leaderId, Guid? managerId) =>
        leaderId != user.PersonId()
        && (user.IsInRole(Roles.HR) || (user.IsInRole(Roles.Manager) && managerId is { } m && m == user.PersonId()));

    public async Task<IReadOnlyList<ReviewDto>> ListAsync(Guid leaderId, ClaimsPrincipal user, CancellationToken ct) =>
        (await ListWithAccessAsync(leaderId, user, ct)).Reviews;

    /// <summary>The leader's reviews this reader may see, and whether the reader may review the leader: one access check for both.</summary>
    public async Task<(IReadOnlyList<ReviewDto> Reviews, bool CanReview)> ListWithAccessAsync(Guid leaderId, ClaimsPrincipal user, CancellationToken ct)
    {
        var leader = await LeaderAsync(leaderId, user, ct);
        return await ListReadableAsync(leader.Id, leader.ManagerId, user, ct);
    }

    /// <summary>
    /// As <see cref="ListWithAccessAsync"/>, for a caller that has just read the leader and checked that
    /// <paramref name="user"/> may read them (<see cref="ReadinessService.GetWithManagerAsync"/>): one query.
    /// </summary>
    public async Task<(IReadOnlyList<ReviewDto> Reviews, bool CanReview)> ListReadableAsync(Guid leaderId, Guid? managerId, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!ReadinessService.CanRead(user, leaderId, managerId)) throw new NotFoundException("There is no such leader.");
        var reviewer = CanReview(user, leaderId, managerId);
        var rows = await Rows(db.ReadinessReviews.Where(r => r.LeaderId == leaderId && (reviewer || r.Status != ReviewStatus.Draft))
            .OrderByDescending(r => r.SubmittedAt ?? r.UpdatedAt)).ToListAsync(ct);
        // Every submitted or returned review of the leader is among the rows, so they also say what supersedes what.
        var submitted = rows.Where(r => r.Status != ReviewStatus.Draft).Select(r => new Submission(r.Id, r.LeaderId, r.Level, r.SubmittedAt, r.Status)).ToList();
        return (rows.Select(r => ToDto(r, reviewer, submitted)).ToList(), reviewer);
    }

    public async Task<ReviewDto> GetAsync(Guid reviewId, ClaimsPrincipal user, CancellationToken ct)
    {
        var (review, reviewer) = await FindAsync(reviewId, user, ct);
        // What supersedes what: the leader's submitted and returned reviews.
        var submitted = review.Status == ReviewStatus.Draft ? []
            : await db.ReadinessReviews.AsNoTracking().Where(r => r.LeaderId == review.LeaderId && r.Status != ReviewStatus.Draft)
                .Select(r => new Submission(r.Id, r.LeaderId, r.Level, r.SubmittedAt, r.Status)).ToListAsync(ct);
        return ToDto(review, reviewer, submitted);
    }

    public async Task<IReadOnlyList<BandDto>> BandsAsync(CancellationToken ct) =>
        await db.ReadinessBands.AsNoTracking().OrderBy(b => b.Position).ThenBy(b => b.Code)
            .Select(b => new BandDto(b.Code, b.Label, b.Position, b.IsRetired)).ToListAsync(ct);

    /// <summary>Opens a draft for the level. 409, naming it, when one is open already.</summary>
    public async Task<ReviewDto> CreateAsync(Guid leaderId, ReviewRequest request, ClaimsPrincipal user, CancellationToken ct)
    {
        var leader = await LeaderAsync(leaderId, user, ct);
        if (!CanReview(user, leader.Id, leader.ManagerId))
            throw new ForbiddenException(leader.Id == user.PersonId() ? "Nobody reviews their own readiness." : "Only the leader's manager or HR reviews their readiness.");
        var level = ReadinessService.ParseLevel(request.Level, null);
        var (decision, rationale, ratings) = await ValidateAsync(request, [], ct);
        var open = await db.ReadinessReviews.AsNoTracking().Where(r => r.LeaderId == leaderId && r.Level == level && r.Status == ReviewStatus.Draft)
            .Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct);
        if (open is { } existing) throw OpenDraft(level, existing);

        var now = clock.GetUtcNow();
        var review = new ReadinessReview
        {
            LeaderId = leaderId, Level = level, Status = ReviewStatus.Draft, AuthorId = user.PersonId(),
            Decision = decision, Rationale = rationale, CreatedAt = now, UpdatedAt = now,
        };
        review.Ratings.AddRange(ratings.Select(r => new ReviewRating { ReviewId = review.Id, CompetencyId = r.CompetencyId, Rating = r.Rating, Comment = r.Comment }));
        db.ReadinessReviews.Add(review);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Opened at the same moment by someone else: theirs is the draft.
            db.ChangeTracker.Clear();
            var theirs = await db.ReadinessReviews.AsNoTracking().Where(r => r.LeaderId == leaderId && r.Level == level && r.Status == ReviewStatus.Draft)
                .Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct);
            throw theirs is { } id ? OpenDraft(level, id) : new ConflictException("Another reviewer opened and closed a draft at the same moment: try again.", [new Clash("OpenDraft", "Race", [])]);
        }
        db.ChangeTracker.Clear();
        return await GetAsync(review.Id, user, ct);
    }

    /// <summary>Saves a draft as a whole (what is not sent is cleared, as on the form).</summary>
    public async Task<ReviewDto> SaveAsync(Guid reviewId, uint? expectedVersion, ReviewRequest request, ClaimsPrincipal user, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var review = await LockDraftAsync(reviewId, expectedVersion, user, ct);
        await WriteAsync(review, request, user, ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return await GetAsync(reviewId, user, ct);
    }

    /// <summary>Submits the draft, with the content in <paramref name="request"/> when one is sent (otherwise what is saved).</summary>
    public async Task<ReviewDto> SubmitAsync(Guid reviewId, uint? expectedVersion, ReviewRequest? request, ClaimsPrincipal user, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var review = await LockDraftAsync(reviewId, expectedVersion, user, ct);
        if (request is not null) await WriteAsync(review, request, user, ct);

        var errors = new Dictionary<string, string[]>();
        // Read for share: a band retired at this moment (under the bands' table lock) waits for this submission, or refuses it.
        var band = review.Decision is null ? null
            : await db.ReadinessBands.FromSql($"select * from readiness_bands where code = {review.Decision} for share").AsNoTracking().SingleOrDefaultAsync(ct);
        if (band is null)
        {
            var labels = await db.ReadinessBands.AsNoTracking().Where(b => !b.IsRetired).OrderBy(b => b.Position).Select(b => b.Label).ToListAsync(ct);
            errors["decision"] = [$"Choose a decision: {string.Join(", ", labels)}."];
        }
        else if (band.IsRetired) errors["decision"] = [$"“{band.Label}” is retired: choose another decision."];
        if (review.Rationale.Length == 0) errors["rationale"] = ["Write the rationale: what the decision rests on."];
        var active = await db.Competencies.AsNoTracking().Where(c => !c.IsRetired).OrderBy(c => c.Position).Select(c => new { c.Id, c.Name }).ToListAsync(ct);
        var unrated = active.Where(c => review.Ratings.All(r => r.CompetencyId != c.Id)).Select(c => c.Name).ToList();
        if (unrated.Count > 0) errors["ratings"] = [$"Rate every competency before submitting; not yet rated: {string.Join(", ", unrated)}."];
        if (errors.Count > 0) throw new ValidationFailedException(errors);

        // Submissions of a leader and level are strictly ordered (the one draft per level makes them one at a time), so
        // "the latest" is never a tie, even on a frozen clock or a node whose clock lags.
        var now = clock.GetUtcNow();
        var last = await db.ReadinessReviews.Where(r => r.LeaderId == review.LeaderId && r.Level == review.Level && r.SubmittedAt != null)
            .MaxAsync(r => r.SubmittedAt, ct);
        if (last is { } l && l >= now) now = l.AddTicks(10); // PostgreSQL keeps microseconds
        review.Status = ReviewStatus.Submitted;
        review.DecisionLabel = band!.Label;
        review.SubmittedAt = now;
        review.SubmittedById = user.PersonId();
        review.AuthorId = user.PersonId();
        review.UpdatedAt = review.SubmittedAt.Value;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return await GetAsync(reviewId, user, ct);
    }

    /// <summary>Discards a draft. A submitted review is never deleted.</summary>
    public async Task DiscardAsync(Guid reviewId, uint? expectedVersion, ClaimsPrincipal user, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var review = await LockDraftAsync(reviewId, expectedVersion, user, ct);
        db.ReadinessReviews.Remove(review);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// HR returns a submitted review for calibration: it is kept as it was, marked returned with the comment, and a
    /// new draft opens from its content for its author to rework. Returns the new draft.
    /// </summary>
    public async Task<ReviewDto> ReturnAsync(Guid reviewId, ReturnRequest request, ClaimsPrincipal user, CancellationToken ct)
    {
        var (found, reviewer) = await FindAsync(reviewId, user, ct);
        if (!reviewer || !user.IsInRole(Roles.HR))
            throw new ForbiddenException(found.LeaderId == user.PersonId() ? "Nobody returns a review of their own readiness." : "Only HR returns a review for calibration.");
        var comment = Reflections.ReflectionService.Normalise(request.Comment);
        if (comment.Length == 0) throw new ValidationFailedException("comment", "Say why the review goes back: what should be looked at again.");
        if (comment.Length > ReadinessReview.MaxReturnCommentLength)
            throw new ValidationFailedException("comment", $"At most {ReadinessReview.MaxReturnCommentLength:N0} characters; this has {comment.Length:N0}.");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var review = await db.ReadinessReviews.FromSql($"select *, xmin from readiness_reviews where id = {found.Id} for update")
            .Include(r => r.Ratings).SingleAsync(ct);
        if (review.Status != ReviewStatus.Submitted)
            throw new ConflictException(review.Status == ReviewStatus.Returned
                ? "This review was returned already; its new draft is the one to work on."
                : "Only a submitted review can be returned; this one is a draft.", [new Clash("Review", "Not submitted", [])]);
        if (await db.ReadinessReviews.AnyAsync(r => r.LeaderId == review.LeaderId && r.Level == review.Level && r.Status == ReviewStatus.Submitted
                                                    && r.SubmittedAt > review.SubmittedAt, ct))
            throw new ConflictException("A later review superseded this one: calibrate that one instead.", [new Clash("Review", "Superseded", [])]);
        var open = await db.ReadinessReviews.Where(r => r.LeaderId == review.LeaderId && r.Level == review.Level && r.Status == ReviewStatus.Draft)
            .Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct);
        if (open is { } existing) throw OpenDraft(review.Level, existing);

        var now = clock.GetUtcNow();
        review.Status = ReviewStatus.Returned;
        review.ReturnedAt = now;
        review.ReturnedById = user.PersonId();
        review.ReturnComment = comment;
        var draft = new ReadinessReview
        {
            LeaderId = review.LeaderId, Level = review.Level, Status = ReviewStatus.Draft, AuthorId = review.AuthorId,
            Decision = review.Decision, Rationale = review.Rationale, CreatedAt = now, UpdatedAt = now, ReturnedFromId = review.Id,
        };
        draft.Ratings.AddRange(review.Ratings.Select(r => new ReviewRating { ReviewId = draft.Id, CompetencyId = r.CompetencyId, Rating = r.Rating, Comment = r.Comment }));
        db.ReadinessReviews.Add(draft);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new ConflictException("A draft review for this level was opened at the same moment: continue that one.", [new Clash("OpenDraft", "Open draft", [])]);
        }
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return await GetAsync(draft.Id, user, ct);
    }

    private async Task<ReadinessReview> LockDraftAsync(Guid reviewId, uint? expectedVersion, ClaimsPrincipal user, CancellationToken ct)
    {
        var (found, reviewer) = await FindAsync(reviewId, user, ct);
        if (!reviewer) throw new ForbiddenException("Only the leader's manager or HR writes their reviews.");
        var review = await db.ReadinessReviews.FromSql($"select *, xmin from readiness_reviews where id = {found.Id} for update")
            .Include(r => r.Ratings).SingleOrDefaultAsync(ct) ?? throw new NotFoundException("There is no such review.");
        if (review.Status != ReviewStatus.Draft)
            throw new ConflictException($"This review was submitted on {StintDisplay.Date(DateOnly.FromDateTime(review.SubmittedAt!.Value.UtcDateTime))} and never changes. Write a new review to supersede it.",
                [new Clash("Review", "Submitted", [])]);
        if (expectedVersion is { } expected && expected != review.Version) throw new StaleVersionException("This review");
        return review;
    }

    private async Task WriteAsync(ReadinessReview review, ReviewRequest request, ClaimsPrincipal user, CancellationToken ct)
    {
        if (request.Level is { } level && ReadinessService.ParseLevel(level, null) != review.Level)
            throw new ValidationFailedException("level", "A review's level is set when it is opened; open a review for the other level instead.");
        var (decision, rationale, ratings) = await ValidateAsync(request, review.Ratings.Select(r => r.CompetencyId).ToHashSet(), ct);
        review.Decision = decision;
        review.Rationale = rationale;
        review.AuthorId = user.PersonId();
        review.UpdatedAt = clock.GetUtcNow();
        var wanted = ratings.ToDictionary(r => r.CompetencyId);
        review.Ratings.RemoveAll(r => !wanted.ContainsKey(r.CompetencyId));
        foreach (var r in ratings)
        {
            var existing = review.Ratings.FirstOrDefault(x => x.CompetencyId == r.CompetencyId);
            if (existing is null) review.Ratings.Add(new ReviewRating { ReviewId = review.Id, CompetencyId = r.CompetencyId, Rating = r.Rating, Comment = r.Comment });
            else { existing.Rating = r.Rating; existing.Comment = r.Comment; }
        }
        // Saved before any submission in the same transaction: the database freezes the ratings of a submitted review.
        await db.SaveChangesAsync(ct);
    }

    private async Task<(string? Decision, string Rationale, List<(Guid CompetencyId, int Rating, string Comment)> Ratings)> ValidateAsync(
        ReviewRequest request, HashSet<Guid> already, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        string? decision = string.IsNullOrWhiteSpace(request.Decision) ? null : request.Decision.Trim();
        if (decision is not null)
        {
            var band = await db.ReadinessBands.AsNoTracking().SingleOrDefaultAsync(b => b.Code == decision, ct);
            if (band is null)
            {
                var codes = await db.ReadinessBands.AsNoTracking().Where(b => !b.IsRetired).OrderBy(b => b.Position).Select(b => b.Code).ToListAsync(ct);
                errors["decision"] = [$"“{decision}” is not a decision; choose one of {string.Join(", ", codes)}."];
            }
            else if (band.IsRetired) errors["decision"] = [$"“{band.Label}” is retired: choose another decision."];
        }
        var rationale = Reflections.ReflectionService.Normalise(request.Rationale);
        if (rationale.Length > ReadinessReview.MaxRationaleLength)
            errors["rationale"] = [$"At most {ReadinessReview.MaxRationaleLength:N0} characters; this has {rationale.Length:N0}."];

        var input = request.Ratings ?? [];
        var ratings = new List<(Guid CompetencyId, int Rating, string Comment, int Index)>();
        if (input.Count > MaxRatings) errors["ratings"] = [$"At most {MaxRatings} ratings in one review."];
        else
        {
            var seen = new HashSet<Guid>();
            for (var i = 0; i < input.Count; i++)
            {
                var item = input[i];
                var at = $"ratings[{i}]";
                if (item is null) { errors[at] = ["Each rating is an object with competencyId, rating and comment."]; continue; }
                var comment = Reflections.ReflectionService.Normalise(item.Comment);
                if (comment.Length > ReviewRating.MaxCommentLength) errors[$"{at}.comment"] = [$"At most {ReviewRating.MaxCommentLength:N0} characters; this has {comment.Length:N0}."];
                if (item.CompetencyId is not { } id) { errors[$"{at}.competencyId"] = ["Name the competency (its id)."]; continue; }
                if (!seen.Add(id)) { errors[$"{at}.competencyId"] = ["This competency is rated twice."]; continue; }
                if (item.Rating is not { } rating || rating is < 1 or > 4)
                {
                    errors[$"{at}.rating"] = ["A rating is 1 (not yet shown), 2 (developing), 3 (proficient) or 4 (role model)."];
                    continue;
                }
                ratings.Add((id, rating, comment, i));
            }
        }
        var ids = ratings.Select(r => r.CompetencyId).ToList();
        var known = await db.Competencies.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Name, c.IsRetired }).ToDictionaryAsync(c => c.Id, ct);
        foreach (var r in ratings)
        {
            if (!known.TryGetValue(r.CompetencyId, out var c)) errors[$"ratings[{r.Index}].competencyId"] = ["There is no competency with this id."];
            else if (c.IsRetired && !already.Contains(c.Id)) errors[$"ratings[{r.Index}].competencyId"] = [$"“{c.Name}” is retired from the framework."];
        }
        if (errors.Count > 0) throw new ValidationFailedException(errors);
        return (decision, rationale, ratings.Select(r => (r.CompetencyId, r.Rating, r.Comment)).ToList());
    }

    private async Task<(Guid Id, Guid? ManagerId)> LeaderAsync(Guid leaderId, ClaimsPrincipal user, CancellationToken ct)
    {
        var leader = await db.Users.AsNoTracking().Where(p => p.Id == leaderId && p.LeaderProfile != null)
            .Select(p => new { p.Id, p.ManagerId }).SingleOrDefaultAsync(ct);
        if (leader is null || !ReadinessService.CanRead(user, leader.Id, leader.ManagerId)) throw new NotFoundException("There is no such leader.");
        return (leader.Id, leader.ManagerId);
    }

    /// <summary>The review if this reader may see it: reviewers see all of the leader's; the leader their own, drafts excepted.</summary>
    private async Task<(ReviewRow Review, bool Reviewer)> FindAsync(Guid reviewId, ClaimsPrincipal user, CancellationToken ct)
    {
        var review = await Rows(db.ReadinessReviews.Where(r => r.Id == reviewId)).SingleOrDefaultAsync(ct);
        if (review is null || !ReadinessService.CanRead(user, review.LeaderId, review.LeaderManagerId)) throw new NotFoundException("There is no such review.");
        var reviewer = CanReview(user, review.LeaderId, review.LeaderManagerId);
        if (!reviewer && review.Status == ReviewStatus.Draft) throw new NotFoundException("There is no such review.");
        return (review, reviewer);
    }

    /// <summary>A review as shown, with the names and labels it shows and its ratings in the framework's order: one query
    /// (the names and today's band label as subqueries on their keys, the ratings joined).</summary>
    private sealed record ReviewRow(
        Guid Id, Guid LeaderId, string LeaderName, Guid? LeaderManagerId, Level Level, ReviewStatus Status, Guid AuthorId, string AuthorName,
        string? Decision, string? DecisionLabel, string Rationale, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
        DateTimeOffset? SubmittedAt, string? SubmittedByName, Guid? ReturnedFromId, DateTimeOffset? ReturnedAt, string? ReturnedByName,
        string? ReturnComment, uint Version, List<RatingDto> Ratings);

    private sealed record Submission(Guid Id, Guid LeaderId, Level Level, DateTimeOffset? SubmittedAt, ReviewStatus Status);

    private IQueryable<ReviewRow> Rows(IQueryable<ReadinessReview> reviews) =>
        reviews.AsNoTracking().Select(r => new ReviewRow(
            r.Id, r.LeaderId, r.Leader!.DisplayName, r.Leader.ManagerId, r.Level, r.Status, r.AuthorId, r.Author!.DisplayName,
            // The band's label at submission; a draft shows today's.
            r.Decision, r.DecisionLabel ?? db.ReadinessBands.Where(b => b.Code == r.Decision).Select(b => b.Label).FirstOrDefault(),
            r.Rationale, r.CreatedAt, r.UpdatedAt, r.SubmittedAt,
            db.Users.Where(p => p.Id == r.SubmittedById).Select(p => p.DisplayName).FirstOrDefault(),
            r.ReturnedFromId, r.ReturnedAt,
            db.Users.Where(p => p.Id == r.ReturnedById).Select(p => p.DisplayName).FirstOrDefault(),
            r.ReturnComment, r.Version,
            r.Ratings.OrderBy(x => x.Competency!.Position).ThenBy(x => x.CompetencyId)
                .Select(x => new RatingDto(x.CompetencyId, x.Competency!.Name, x.Rating, "", x.Comment)).ToList()));

    /// <param name="submitted">Every submitted or returned review of the review's leader: what supersedes what.</param>
    private static ReviewDto ToDto(ReviewRow r, bool reviewer, IReadOnlyList<Submission> submitted)
    {
        // Superseded by the next submitted review; no longer current once a later one was submitted or returned.
        var laterOnes = r.SubmittedAt is { } at
            ? submitted.Where(o => o.LeaderId == r.LeaderId && o.Level == r.Level && o.SubmittedAt > at).OrderBy(o => o.SubmittedAt).ToList()
            : [];
        var later = laterOnes.FirstOrDefault(o => o.Status == ReviewStatus.Submitted);
        return new ReviewDto(r.Id, r.LeaderId, r.LeaderName, r.Level, r.Status, r.AuthorId, r.AuthorName,
            r.Decision, r.DecisionLabel, r.Rationale,
            r.Ratings.Select(x => x with { RatingLabel = FeedbackService.Label(x.Rating) }).ToList(),
            r.CreatedAt, r.UpdatedAt, r.SubmittedAt, r.SubmittedByName,
            r.ReturnedFromId, r.ReturnedAt, r.ReturnedByName, r.ReturnComment,
            IsCurrent: r.Status == ReviewStatus.Submitted && laterOnes.Count == 0,
            SupersededById: r.Status == ReviewStatus.Submitted ? later?.Id : null,
            CanEdit: reviewer && r.Status == ReviewStatus.Draft,
            r.Version);
    }

    private static ConflictException OpenDraft(Level level, Guid draftId) =>
        new($"A draft review for {Levels.Describe(level)} is open already: continue that one, or discard it first.",
            [new Clash("OpenDraft", $"Open draft {draftId}", [])]);
}
