using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Rotations.Web.Features.Reflections;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;
using Rotations.Web.Infrastructure.Time;

namespace Rotations.Web.Features.Feedback;

/// <summary>The host's feedback as they write it. <see cref="Submit"/> true submits it; ratings are 1 to 4.</summary>
public sealed record FeedbackRequest(int? Engagement, int? Curiosity, int? Collaboration, int? Impact, string? Comments, bool? Submit);

public enum FeedbackStatus { NotStarted, Draft, Submitted }

/// <summary>
/// A stint's host feedback as its reader sees it. For the leader, their manager and HR the ratings and
/// comments are null until the host submits; the host sees their own draft.
/// </summary>
public sealed record FeedbackDto(
    Guid StintId, Guid LeaderId, string LeaderName, string TourCode, string TourName, DateOnly StartDate, DateOnly EndDate,
    Guid? HostId, string? HostName, string? AuthorName,
    FeedbackStatus Status, int? Engagement, int? Curiosity, int? Collaboration, int? Impact, string? Comments,
    DateTimeOffset? SubmittedAt, DateTimeOffset? UpdatedAt, DateOnly OpensOn, bool CanEdit, string? EditBlockedBecause, uint Version)
{
    public double? Average => Engagement is { } e && Curiosity is { } c && Collaboration is { } l && Impact is { } i ? (e + c + l + i) / 4.0 : null;
}

/// <summary>
/// Host feedback: the stint's host writes it from the last week of the stint on, saves drafts, submits;
/// the leader, the leader's manager and HR read it once submitted. The host never reads the reflection.
/// </summary>
public sealed class FeedbackService(RotationsDbContext db, TimeProvider clock)
{
    /// <summary>The rating scale, the same words as the competency ratings of the readiness reviews.</summary>
    public static readonly IReadOnlyList<(int Value, string Label)> Scale =
        [(1, "Not yet shown"), (2, "Developing"), (3, "Proficient"), (4, "Role model")];

    public static string Label(int? rating) => rating is { } r && r is >= 1 and <= 4 ? Scale[r - 1].Label : "";

    public async Task<FeedbackDto> GetAsync(Guid stintId, ClaimsPrincipal user, CancellationToken ct)
    {
        var circle = await db.CircleAsync(stintId, ct);
        if (!user.IsHostOf(circle) && !user.CanReadFeedback(circle)) throw NotFound();
        return await ReadAsync(circle, user, ct);
    }

    public async Task<FeedbackDto> SaveAsync(Guid stintId, uint? expectedVersion, FeedbackRequest request, ClaimsPrincipal user, CancellationToken ct)
    {
        var circle = await db.CircleAsync(stintId, ct);
        if (!user.IsHostOf(circle) && !user.CanReadFeedback(circle)) throw NotFound();
        if (!user.IsHostOf(circle)) throw new ForbiddenException("Only the stint's host gives feedback on it.");
        if (circle.HostId == circle.LeaderId) throw new ForbiddenException("A leader does not give host feedback on their own stint.");
        if (BlockedBecause(circle) is { } reason) throw new ConflictException(reason, circle.StintId);

        var errors = new Dictionary<string, string[]>();
        int? Rating(int? value, string field)
        {
            if (value is { } v && v is < 1 or > 4) errors[field] = ["A rating is 1 (not yet shown), 2 (developing), 3 (proficient) or 4 (role model)."];
            return value;
        }
        var engagement = Rating(request.Engagement, "engagement");
        var curiosity = Rating(request.Curiosity, "curiosity");
        var collaboration = Rating(request.Collaboration, "collaboration");
        var impact = Rating(request.Impact, "impact");
        var comments = ReflectionService.Normalise(request.Comments);
        if (comments.Length > HostFeedback.MaxCommentsLength)
            errors["comments"] = [$"At most {HostFeedback.MaxCommentsLength:N0} characters; this has {comments.Length:N0}."];
        var submit = request.Submit == true;
        if (submit)
        {
            foreach (var (value, field, what) in new[] { (engagement, "engagement", "engagement"), (curiosity, "curiosity", "curiosity"),
                         (collaboration, "collaboration", "collaboration"), (impact, "impact", "impact") })
                if (value is null && !errors.ContainsKey(field)) errors[field] = [$"Rate the leader's {what} (1 to 4) before submitting."];
        }
        if (errors.Count > 0) throw new ValidationFailedException(errors);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var feedback = await db.HostFeedback.FromSql($"select *, xmin from host_feedback where stint_id = {stintId} for update").SingleOrDefaultAsync(ct);
        if (expectedVersion is { } expected && expected != (feedback?.Version ?? 0)) throw new StaleVersionException("This feedback");
        if (feedback is { IsSubmitted: true } && feedback.AuthorId != user.PersonId())
            throw new ConflictException("A former host of this stint submitted feedback on it already; it is theirs and stays as it is.", circle.StintId);
        var now = clock.GetUtcNow();
        var isNew = feedback is null;
        if (feedback is null)
        {
            feedback = new HostFeedback { StintId = stintId, CreatedAt = now };
            db.HostFeedback.Add(feedback);
        }
        if (feedback.IsSubmitted && !submit)
        {
            // Submitted feedback is corrected, never taken back to a draft.
            foreach (var (value, field) in new[] { (engagement, "engagement"), (curiosity, "curiosity"), (collaboration, "collaboration"), (impact, "impact") })
                if (value is null) errors[field] = ["Submitted feedback keeps all four ratings."];
            if (errors.Count > 0) throw new ValidationFailedException(errors);
        }
        var changed = isNew || feedback.Engagement != engagement || feedback.Curiosity != curiosity || feedback.Collaboration != collaboration
                      || feedback.Impact != impact || feedback.Comments != comments || feedback.AuthorId != user.PersonId();
        feedback.AuthorId = user.PersonId();
        feedback.Engagement = engagement;
        feedback.Curiosity = curiosity;
        feedback.Collaboration = collaboration;
        feedback.Impact = impact;
        feedback.Comments = comments;
        if (changed) feedback.UpdatedAt = now;
        if (submit && feedback.SubmittedAt is null) feedback.SubmittedAt = now;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (isNew && ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new StaleVersionException("This feedback");
        }
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return await ReadAsync(circle, user, ct);
    }

    private string? BlockedBecause(StintCircle circle)
    {
        if (circle.IsCancelled) return "The stint was cancelled: there is nothing to give feedback on.";
        var today = Reminders.LocalTime.Today(clock.GetUtcNow(), Reminders.LocalTime.Zone(circle.LeaderTimeZone));
        return today < circle.SubmitOpensOn
            ? $"Feedback opens on {Notifications.NotificationText.Date(circle.SubmitOpensOn)}, in the last week of the stint."
            : null;
    }

    private async Task<FeedbackDto> ReadAsync(StintCircle circle, ClaimsPrincipal user, CancellationToken ct)
    {
        var f = await db.HostFeedback.AsNoTracking().Where(x => x.StintId == circle.StintId)
            .Select(x => new { Feedback = x, Author = db.Users.Where(p => p.Id == x.AuthorId).Select(p => p.DisplayName).FirstOrDefault() })
            .SingleOrDefaultAsync(ct);
        var host = user.IsHostOf(circle);
        // Readers see it once submitted; a draft is its author's alone (a host who replaced them starts afresh).
        var mine = f is not null && f.Feedback.AuthorId == user.PersonId();
        var show = f is not null && (f.Feedback.IsSubmitted ? user.CanReadFeedback(circle) || mine : host && mine);
        var status = f is null || (!f.Feedback.IsSubmitted && !mine && host) ? FeedbackStatus.NotStarted
            : f.Feedback.IsSubmitted ? FeedbackStatus.Submitted : FeedbackStatus.Draft;
        var blocked = !host ? "Only the stint's host gives feedback on it."
            : circle.HostId == circle.LeaderId ? "A leader does not give host feedback on their own stint."
            : f is { Feedback.IsSubmitted: true } && !mine ? "A former host of this stint submitted feedback on it already."
            : BlockedBecause(circle);
        var x = show ? f!.Feedback : null;
        return new FeedbackDto(
            circle.StintId, circle.LeaderId, circle.LeaderName, circle.TourCode, circle.TourName, circle.StartDate, circle.EndDate,
            circle.HostId, circle.HostName, show ? f!.Author : null,
            status, x?.Engagement, x?.Curiosity, x?.Collaboration, x?.Impact, x?.Comments,
            show ? f!.Feedback.SubmittedAt : f?.Feedback.SubmittedAt, show ? f!.Feedback.UpdatedAt : null, circle.SubmitOpensOn,
            CanEdit: blocked is null, EditBlockedBecause: blocked, Version: f?.Feedback.Version ?? 0);
    }

    private static NotFoundException NotFound() => new("There is no such feedback.");
}
