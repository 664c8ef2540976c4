using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Reminders;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;
using Rotations.Web.Infrastructure.Time;

namespace Rotations.Web.Features.Reflections;

public sealed record VocabularyInput(string? Term, string? Meaning, string? CustomerMeaning);

public sealed record CompetencyEvidenceInput(Guid? CompetencyId, string? Evidence);

/// <summary>A reflection as the leader writes it (PUT, and optionally the submit call). Nullable so that a missing field is named.</summary>
public sealed record ReflectionRequest(
    string? CustomerSide, string? InsideOut, IReadOnlyList<VocabularyInput>? Vocabulary, string? PeopleMet, string? FrictionAndIdeas,
    IReadOnlyList<CompetencyEvidenceInput>? Competencies);

public sealed record VocabularyEntry(string Term, string Meaning, string CustomerMeaning);

public sealed record CompetencyEvidence(Guid CompetencyId, string CompetencyName, string Evidence);

/// <summary>What a reflection says: the content of the current text or of one version.</summary>
public sealed record ReflectionContent(
    string CustomerSide, string InsideOut, IReadOnlyList<VocabularyEntry> Vocabulary, string PeopleMet, string FrictionAndIdeas,
    IReadOnlyList<CompetencyEvidence> Competencies)
{
    public static readonly ReflectionContent Empty = new("", "", [], "", "", []);

    public bool IsEmpty => this == Empty || (CustomerSide == "" && InsideOut == "" && PeopleMet == "" && FrictionAndIdeas == ""
                                             && Vocabulary.Count == 0 && Competencies.Count == 0);

    public bool SameAs(ReflectionContent other) =>
        CustomerSide == other.CustomerSide && InsideOut == other.InsideOut && PeopleMet == other.PeopleMet
        && FrictionAndIdeas == other.FrictionAndIdeas && Vocabulary.SequenceEqual(other.Vocabulary)
        && SameEvidence(other);

    /// <summary>The same competencies with the same evidence, in whatever order they were listed.</summary>
    public bool SameEvidence(ReflectionContent other) =>
        Competencies.Select(c => (c.CompetencyId, c.Evidence)).OrderBy(c => c.CompetencyId)
            .SequenceEqual(other.Competencies.Select(c => (c.CompetencyId, c.Evidence)).OrderBy(c => c.CompetencyId));
}

public enum ReflectionStatus { NotStarted, Draft, Submitted }

public sealed record ReflectionVersionSummary(int Number, DateTimeOffset CreatedAt, string Kind);

/// <summary>A competency the form offers, and whether the tour develops it.</summary>
public sealed record CompetencyChoice(Guid Id, string Name, string Description, bool DevelopedByTour, bool Retired);

/// <summary>
/// A stint's reflection as its reader sees it. The text fields are null for a reader who may not see them
/// yet: the manager and HR read a reflection once it is submitted, not the leader's drafts.
/// </summary>
public sealed record ReflectionDto(
    Guid StintId, Guid LeaderId, string LeaderName, Guid TourId, string TourCode, string TourName,
    DateOnly StartDate, DateOnly EndDate, bool StintCancelled,
    ReflectionStatus Status, DateOnly DueOn, DateOnly SubmitOpensOn, DateTimeOffset? SubmittedAt, bool? OnTime,
    DateTimeOffset? UpdatedAt, int Revision,
    string Objectives, string OutsideInLens, string InsideOutLens, IReadOnlyList<string> Prompts,
    string? CustomerSide, string? InsideOut, IReadOnlyList<VocabularyEntry>? Vocabulary, string? PeopleMet, string? FrictionAndIdeas,
    IReadOnlyList<CompetencyEvidence>? Competencies,
    IReadOnlyList<ReflectionVersionSummary> Versions,
    bool CanEdit, bool CanSubmit, string? EditBlockedBecause, uint Version)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public ReflectionContent? Content => CustomerSide is null ? null
        : new(CustomerSide, InsideOut!, Vocabulary!, PeopleMet!, FrictionAndIdeas!, Competencies!);
}

/// <summary>The learning around one stint as its page shows it to one reader.</summary>
public sealed record StintLearning(
    bool CanReadReflection, ReflectionStatus Reflection, bool? OnTime, DateOnly DueOn, DateOnly OpensOn,
    bool IsHost, bool SeesFeedback, Feedback.FeedbackStatus Feedback, bool FeedbackOpen);

public sealed record ReflectionVersionDto(Guid StintId, int Number, DateTimeOffset CreatedAt, string Kind, ReflectionContent Content);

/// <summary>
/// Writing, submitting and reading reflections. The rules: only the leader writes their reflection, from
/// the first day of the stint, never on a cancelled one; it is submitted from the last week of the stint
/// on, with both lenses written and at least one competency evidenced; the submission time and whether
/// it was on time are kept; every change after submission becomes a version.
/// </summary>
public sealed class ReflectionService(RotationsDbContext db, TimeProvider clock)
{
    public const int MaxVocabulary = 100;
    public const int MaxCompetencies = 40;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The last day a reflection is on time: the day before the overdue reminder goes out (which is the overdue
    /// offset after the stint's last day), so that nobody is told "overdue" about a reflection still on time.
    /// </summary>
    public static DateOnly DueOn(DateOnly endDate, int overdueDays) => endDate.AddDays(Math.Max(overdueDays - 1, 0));

    /// <summary>A stint that ended before this day, with no submitted reflection, is overdue today: <see cref="DueOn"/> &lt; today.</summary>
    public static DateOnly OverdueIfEndedBefore(DateOnly today, int overdueDays) => today.AddDays(-Math.Max(overdueDays - 1, 0));

    public async Task<ReflectionDto> GetAsync(Guid stintId, ClaimsPrincipal user, CancellationToken ct)
    {
        var circle = await db.CircleAsync(stintId, ct);
        if (!user.CanReadReflection(circle)) throw NotFound();
        return await ReadAsync(circle, user, ct);
    }

    /// <summary>Saves the text. A draft stays a draft; a submitted reflection that changes gets a new version.</summary>
    public async Task<ReflectionDto> SaveAsync(Guid stintId, uint? expectedVersion, ReflectionRequest request, ClaimsPrincipal user, CancellationToken ct)
    {
        var circle = await WritableCircleAsync(stintId, user, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var reflection = await LockAsync(stintId, expectedVersion, ct);
        var content = await ValidateAsync(request, reflection, ct);
        await WriteAsync(circle, reflection, content, user, ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return await ReadAsync(circle, user, ct);
    }

    /// <summary>Submits the reflection, with the text in <paramref name="request"/> if one is sent (otherwise what is saved).</summary>
    public async Task<ReflectionDto> SubmitAsync(Guid stintId, uint? expectedVersion, ReflectionRequest? request, ClaimsPrincipal user, CancellationToken ct)
    {
        var circle = await WritableCircleAsync(stintId, user, ct);
        var today = LocalTime.Today(clock.GetUtcNow(), LocalTime.Zone(circle.LeaderTimeZone));
        if (today < circle.SubmitOpensOn)
            throw new ConflictException(
                $"The reflection can be submitted from {NotificationDate(circle.SubmitOpensOn)}, in the last week of the stint. Save it as a draft until then.",
                circle.StintId);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var reflection = await LockAsync(stintId, expectedVersion, ct);
        if (reflection?.SubmittedAt is { } at)
            throw new ConflictException($"This reflection was already submitted on {at:d MMM yyyy}. Save changes to it instead: they are kept as versions.", circle.StintId);
        var content = request is null ? Content(reflection) : await ValidateAsync(request, reflection, ct, complete: true);
        if (request is null) CheckComplete(content);

        var settings = await db.ReminderSettings.AsNoTracking().SingleAsync(ct);
        reflection = await WriteAsync(circle, reflection, content, user, ct, submitting: true);
        var now = clock.GetUtcNow();
        reflection.SubmittedAt = now;
        reflection.DueOn = DueOn(circle.EndDate, settings.OverdueDays);
        reflection.OnTime = today <= reflection.DueOn;
        reflection.Revision = 1;
        db.ReflectionVersions.Add(Snapshot(reflection, content, 1, user.PersonId(), now));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return await ReadAsync(circle, user, ct);
    }

    /// <summary>
    /// What the stint page shows of its learning, for this reader: the reflection's state if they may read it,
    /// and whether the host's feedback is there if they write or read it. Null parts are not theirs to see.
    /// </summary>
    public async Task<StintLearning> SummaryAsync(Guid stintId, ClaimsPrincipal user, CancellationToken ct)
    {
        var circle = await db.CircleAsync(stintId, ct);
        var reflection = user.CanReadReflection(circle)
            ? await db.Reflections.AsNoTracking().Where(r => r.StintId == stintId)
                .Select(r => new { r.SubmittedAt, r.OnTime, r.DueOn }).SingleOrDefaultAsync(ct)
            : null;
        var overdueDays = await db.ReminderSettings.AsNoTracking().Select(s => s.OverdueDays).SingleAsync(ct);
        var feedbackParty = user.IsHostOf(circle) || (circle.HostId is not null && user.CanReadFeedback(circle));
        var feedback = feedbackParty
            ? await db.HostFeedback.AsNoTracking().Where(f => f.StintId == stintId).Select(f => new { f.SubmittedAt }).SingleOrDefaultAsync(ct)
            : null;
        return new StintLearning(
            user.CanReadReflection(circle),
            reflection is null ? ReflectionStatus.NotStarted : reflection.SubmittedAt is null ? ReflectionStatus.Draft : ReflectionStatus.Submitted,
            reflection?.OnTime, reflection?.DueOn ?? DueOn(circle.EndDate, overdueDays), circle.SubmitOpensOn,
            user.IsHostOf(circle), feedbackParty,
            feedback is null ? Feedback.FeedbackStatus.NotStarted : feedback.SubmittedAt is null ? Feedback.FeedbackStatus.Draft : Feedback.FeedbackStatus.Submitted,
            clock.Today() >= circle.SubmitOpensOn);
    }

    public async Task<ReflectionVersionDto> GetVersionAsync(Guid stintId, int number, ClaimsPrincipal user, CancellationToken ct)
    {
        var circle = await db.CircleAsync(stintId, ct);
        if (!user.CanReadReflection(circle)) throw NotFound();
        var version = await db.ReflectionVersions.AsNoTracking().SingleOrDefaultAsync(v => v.StintId == stintId && v.Number == number, ct)
            ?? throw new NotFoundException($"This reflection has no version {number}.");
        return new(stintId, number, version.CreatedAt, number == 1 ? "Submitted" : "Revised",
            JsonSerializer.Deserialize<ReflectionContent>(version.Content, Json)!);
    }

    private async Task<StintCircle> WritableCircleAsync(Guid stintId, ClaimsPrincipal user, CancellationToken ct)
    {
        var circle = await db.CircleAsync(stintId, ct);
        if (!user.CanReadReflection(circle)) throw NotFound();
        if (!user.IsAuthor(circle)) throw new ForbiddenException("Only the leader writes their reflection.");
        if (EditBlockedBecause(circle) is { } reason) throw new ConflictException(reason, circle.StintId);
        return circle;
    }

    private string? EditBlockedBecause(StintCircle circle)
    {
        if (circle.IsCancelled) return "The stint was cancelled: there is nothing to reflect on.";
        var today = LocalTime.Today(clock.GetUtcNow(), LocalTime.Zone(circle.LeaderTimeZone));
        return today < circle.StartDate
            ? $"The stint begins on {NotificationDate(circle.StartDate)}: the reflection opens then. Until then, write your objectives."
            : null;
    }

    private async Task<Reflection?> LockAsync(Guid stintId, uint? expectedVersion, CancellationToken ct)
    {
        var reflection = await db.Reflections.FromSql($"select *, xmin from reflections where stint_id = {stintId} for update")
            .Include(r => r.Vocabulary).Include(r => r.Competencies).ThenInclude(c => c.Competency).AsSplitQuery()
            .SingleOrDefaultAsync(ct);
        // A reflection not written yet is version 0.
        if (expectedVersion is { } expected && expected != (reflection?.Version ?? 0)) throw new StaleVersionException("This reflection");
        return reflection;
    }

    /// <summary>Writes the content; after submission a change becomes the next version. Inserts the row on the first save.</summary>
    private async Task<Reflection> WriteAsync(StintCircle circle, Reflection? reflection, ReflectionContent content, ClaimsPrincipal user,
        CancellationToken ct, bool submitting = false)
    {
        var now = clock.GetUtcNow();
        var isNew = reflection is null;
        if (reflection is null)
        {
            reflection = new Reflection { StintId = circle.StintId, CreatedAt = now };
            db.Reflections.Add(reflection);
        }
        else if (Content(reflection).SameAs(content) && !submitting)
        {
            return reflection; // nothing changed: no new version, no new timestamp
        }

        reflection.CustomerSide = content.CustomerSide;
        reflection.InsideOut = content.InsideOut;
        reflection.PeopleMet = content.PeopleMet;
        reflection.FrictionAndIdeas = content.FrictionAndIdeas;
        reflection.SearchExtra = string.Join("\n",
            content.Vocabulary.Select(v => $"{v.Term} {v.Meaning} {v.CustomerMeaning}")
                .Concat(content.Competencies.Select(c => $"{c.CompetencyName} {c.Evidence}")));
        reflection.UpdatedAt = now;
        reflection.Vocabulary.Clear();
        reflection.Vocabulary.AddRange(content.Vocabulary.Select((v, i) => new ReflectionTerm
        {
            StintId = circle.StintId, Position = i + 1, Term = v.Term, Meaning = v.Meaning, CustomerMeaning = v.CustomerMeaning,
        }));
        var wanted = content.Competencies.ToDictionary(c => c.CompetencyId);
        reflection.Competencies.RemoveAll(c => !wanted.ContainsKey(c.CompetencyId));
        foreach (var c in content.Competencies)
        {
            var existing = reflection.Competencies.FirstOrDefault(x => x.CompetencyId == c.CompetencyId);
            if (existing is null) reflection.Competencies.Add(new ReflectionCompetency { StintId = circle.StintId, CompetencyId = c.CompetencyId, Evidence = c.Evidence });
            else existing.Evidence = c.Evidence;
        }
        if (reflection.IsSubmitted && !submitting)
        {
            reflection.Revision++;
            db.ReflectionVersions.Add(Snapshot(reflection, content, reflection.Revision, user.PersonId(), now));
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (isNew && ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Saved at the same moment from another tab or device: that save won.
            throw new StaleVersionException("This reflection");
        }
        return reflection;
    }

    private static ReflectionVersion Snapshot(Reflection r, ReflectionContent content, int number, Guid author, DateTimeOffset now) => new()
    {
        StintId = r.StintId, Number = number, CreatedAt = now, AuthorId = author == Guid.Empty ? null : author,
        Content = JsonSerializer.Serialize(content, Json),
    };

    private static ReflectionContent Content(Reflection? r) => r is null ? ReflectionContent.Empty : new(
        r.CustomerSide, r.InsideOut,
        r.Vocabulary.OrderBy(v => v.Position).Select(v => new VocabularyEntry(v.Term, v.Meaning, v.CustomerMeaning)).ToList(),
        r.PeopleMet, r.FrictionAndIdeas,
        r.Competencies.OrderBy(c => c.Competency?.Position ?? int.MaxValue)
            .Select(c => new CompetencyEvidence(c.CompetencyId, c.Competency?.Name ?? "", c.Evidence)).ToList());

    /// <summary>Checks the request field by field (names as the API spells them) and returns it normalised.</summary>
    private async Task<ReflectionContent> ValidateAsync(ReflectionRequest request, Reflection? current, CancellationToken ct, bool complete = false)
    {
        var errors = new Dictionary<string, string[]>();
        string Text(string? value, string field, int max)
        {
            var text = Normalise(value);
            if (text.Length > max) errors[field] = [$"At most {max:N0} characters; this has {text.Length:N0}."];
            return text;
        }

        var customerSide = Text(request.CustomerSide, "customerSide", Reflection.MaxTextLength);
        var insideOut = Text(request.InsideOut, "insideOut", Reflection.MaxTextLength);
        var peopleMet = Text(request.PeopleMet, "peopleMet", Reflection.MaxTextLength);
        var friction = Text(request.FrictionAndIdeas, "frictionAndIdeas", Reflection.MaxTextLength);

        var vocabulary = new List<VocabularyEntry>();
        var terms = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var vocabularyIn = request.Vocabulary ?? [];
        if (vocabularyIn.Count > MaxVocabulary) errors["vocabulary"] = [$"At most {MaxVocabulary} terms in one reflection."];
        else
        {
            for (var i = 0; i < vocabularyIn.Count; i++)
            {
                var entry = vocabularyIn[i];
                var at = $"vocabulary[{i}]";
                if (entry is null) { errors[at] = ["Each entry is an object with term, meaning and customerMeaning."]; continue; }
                var term = Text(entry.Term, $"{at}.term", ReflectionTerm.MaxTermLength);
                var meaning = Text(entry.Meaning, $"{at}.meaning", ReflectionTerm.MaxMeaningLength);
                var customerMeaning = Text(entry.CustomerMeaning, $"{at}.customerMeaning", ReflectionTerm.MaxMeaningLength);
                if (term.Length == 0 && meaning.Length == 0 && customerMeaning.Length == 0) continue; // an empty row of the form
                if (term.Length == 0) errors[$"{at}.term"] = ["Enter the term this meaning belongs to."];
                else if (term.Contains('\n')) errors[$"{at}.term"] = ["A term is one line."];
                else if (!terms.Add(term)) errors[$"{at}.term"] = [$"“{term}” is already in the list."];
                if (complete && term.Length > 0)
                {
                    // Named by the row sent, which blank rows before it do not shift.
                    if (meaning.Length == 0) errors.TryAdd($"{at}.meaning", [$"Say what “{term}” means in the department."]);
                    if (customerMeaning.Length == 0) errors.TryAdd($"{at}.customerMeaning", [$"Say what “{term}” means for customers."]);
                }
                vocabulary.Add(new VocabularyEntry(term, meaning, customerMeaning));
            }
        }

        var competenciesIn = request.Competencies ?? [];
        var evidence = new List<(Guid Id, string Evidence, int Index)>();
        if (competenciesIn.Count > MaxCompetencies) errors["competencies"] = [$"At most {MaxCompetencies} competencies."];
        else
        {
            var seen = new HashSet<Guid>();
            for (var i = 0; i < competenciesIn.Count; i++)
            {
                var item = competenciesIn[i];
                var at = $"competencies[{i}]";
                if (item is null) { errors[at] = ["Each entry is an object with competencyId and evidence."]; continue; }
                var text = Text(item.Evidence, $"{at}.evidence", ReflectionCompetency.MaxEvidenceLength);
                if (item.CompetencyId is not { } id) { errors[$"{at}.competencyId"] = ["Name the competency (its id)."]; continue; }
                if (!seen.Add(id)) { errors[$"{at}.competencyId"] = ["This competency is listed twice."]; continue; }
                evidence.Add((id, text, i));
            }
        }

        var ids = evidence.Select(e => e.Id).ToList();
        var known = await db.Competencies.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.Name, c.IsRetired }).ToDictionaryAsync(c => c.Id, ct);
        var already = current?.Competencies.Select(c => c.CompetencyId).ToHashSet() ?? [];
        var competencies = new List<CompetencyEvidence>();
        foreach (var (id, text, i) in evidence)
        {
            if (!known.TryGetValue(id, out var c)) errors[$"competencies[{i}].competencyId"] = ["There is no competency with this id."];
            else if (c.IsRetired && !already.Contains(id)) errors[$"competencies[{i}].competencyId"] = [$"“{c.Name}” is retired from the framework."];
            else competencies.Add(new CompetencyEvidence(id, c.Name, text));
        }

        if (complete)
        {
            // What a submission needs, named by the fields and rows as they were sent.
            if (customerSide.Length == 0) errors.TryAdd("customerSide", [MissingCustomerSide]);
            if (insideOut.Length == 0) errors.TryAdd("insideOut", [MissingInsideOut]);
            if (evidence.Count == 0 && !errors.Keys.Any(k => k.StartsWith("competencies", StringComparison.Ordinal))) errors["competencies"] = [MissingCompetency];
            foreach (var (id, text, i) in evidence)
                if (text.Length == 0 && known.TryGetValue(id, out var c))
                    errors.TryAdd($"competencies[{i}].evidence", [MissingEvidence(c.Name)]);
        }
        if (errors.Count > 0) throw new ValidationFailedException(errors);
        return new ReflectionContent(customerSide, insideOut, vocabulary, peopleMet, friction, competencies);
    }

    /// <summary>What a submitted reflection must have: both lenses, at least one competency with evidence, every term explained.</summary>
    private const string MissingCustomerSide = "Describe what you saw from the customer's side before submitting.";
    private const string MissingInsideOut = "Describe how the department works inside (processes, tools, KPIs) before submitting.";
    private const string MissingCompetency = "Name at least one competency you exercised, with the evidence.";
    private static string MissingEvidence(string competency) => $"Give the evidence for “{competency}”: what you did, and what came of it.";

    /// <summary>The same checks as a submission with its text, for one without: the saved reflection, rows as GET shows them.</summary>
    private static void CheckComplete(ReflectionContent content)
    {
        var errors = new Dictionary<string, string[]>();
        if (content.CustomerSide.Length == 0) errors["customerSide"] = [MissingCustomerSide];
        if (content.InsideOut.Length == 0) errors["insideOut"] = [MissingInsideOut];
        if (content.Competencies.Count == 0) errors["competencies"] = [MissingCompetency];
        for (var i = 0; i < content.Competencies.Count; i++)
            if (content.Competencies[i].Evidence.Length == 0)
                errors[$"competencies[{i}].evidence"] = [MissingEvidence(content.Competencies[i].CompetencyName)];
        for (var i = 0; i < content.Vocabulary.Count; i++)
        {
            if (content.Vocabulary[i].Meaning.Length == 0) errors[$"vocabulary[{i}].meaning"] = [$"Say what “{content.Vocabulary[i].Term}” means in the department."];
            if (content.Vocabulary[i].CustomerMeaning.Length == 0) errors[$"vocabulary[{i}].customerMeaning"] = [$"Say what “{content.Vocabulary[i].Term}” means for customers."];
        }
        if (errors.Count > 0) throw new ValidationFailedException(errors);
    }

    /// <summary>Trimmed, with Windows line ends made Unix ones, so the same text is stored the same way from every client.</summary>
    internal static string Normalise(string? text) => (text ?? "").Replace("\r\n", "\n").Replace('\r', '\n').Trim();

    private async Task<ReflectionDto> ReadAsync(StintCircle circle, ClaimsPrincipal user, CancellationToken ct)
    {
        var reflection = await db.Reflections.AsNoTracking().Where(r => r.StintId == circle.StintId)
            .Include(r => r.Vocabulary).Include(r => r.Competencies).ThenInclude(c => c.Competency).AsSplitQuery()
            .SingleOrDefaultAsync(ct);
        var versions = reflection?.IsSubmitted == true
            ? await db.ReflectionVersions.AsNoTracking().Where(v => v.StintId == circle.StintId).OrderBy(v => v.Number)
                .Select(v => new ReflectionVersionSummary(v.Number, v.CreatedAt, v.Number == 1 ? "Submitted" : "Revised")).ToListAsync(ct)
            : [];
        var settings = await db.ReminderSettings.AsNoTracking().SingleAsync(ct);
        var author = user.IsAuthor(circle);
        // The manager and HR read what was submitted; drafts are the leader's own.
        var showText = author || reflection?.IsSubmitted == true;
        var content = showText ? Content(reflection) : null;
        var status = reflection is null ? ReflectionStatus.NotStarted : reflection.IsSubmitted ? ReflectionStatus.Submitted : ReflectionStatus.Draft;
        var blocked = author ? EditBlockedBecause(circle) : "Only the leader writes their reflection.";
        var today = LocalTime.Today(clock.GetUtcNow(), LocalTime.Zone(circle.LeaderTimeZone));
        return new ReflectionDto(
            circle.StintId, circle.LeaderId, circle.LeaderName, circle.TourId, circle.TourCode, circle.TourName,
            circle.StartDate, circle.EndDate, circle.IsCancelled,
            status, reflection?.DueOn ?? DueOn(circle.EndDate, settings.OverdueDays), circle.SubmitOpensOn,
            reflection?.SubmittedAt, reflection?.OnTime, showText ? reflection?.UpdatedAt : null, reflection?.Revision ?? 0,
            circle.Objectives, circle.OutsideIn, circle.InsideOut, Prompts(circle.Prompts),
            content?.CustomerSide, content?.InsideOut, content?.Vocabulary, content?.PeopleMet, content?.FrictionAndIdeas, content?.Competencies,
            versions,
            CanEdit: blocked is null,
            CanSubmit: blocked is null && status != ReflectionStatus.Submitted && today >= circle.SubmitOpensOn,
            EditBlockedBecause: blocked,
            Version: reflection?.Version ?? 0);
    }

    /// <summary>The competencies the form offers: the tour's first, then the rest of the framework; retired ones only if already cited.</summary>
    public async Task<IReadOnlyList<CompetencyChoice>> ChoicesAsync(Guid tourId, IEnumerable<Guid> cited, CancellationToken ct)
    {
        var citedIds = cited.ToList();
        var rows = await db.Competencies.AsNoTracking()
            .Where(c => !c.IsRetired || citedIds.Contains(c.Id))
            .Select(c => new CompetencyChoice(c.Id, c.Name, c.Description, c.Tours.Any(t => t.TourId == tourId), c.IsRetired))
            .ToListAsync(ct);
        var positions = await db.Competencies.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Position, ct);
        return rows.OrderByDescending(c => c.DevelopedByTour).ThenBy(c => positions[c.Id]).ToList();
    }

    public static IReadOnlyList<string> Prompts(string prompts) =>
        prompts.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static string NotificationDate(DateOnly d) => Notifications.NotificationText.Date(d);

    private static NotFoundException NotFound() => new("There is no such reflection.");
}
