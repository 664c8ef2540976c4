using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Feedback;
using Rotations.Web.Features.People;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Readiness;

public sealed record CriteriaTourDto(Guid Id, string Code, string Name, bool Retired);

public sealed record MinRatingDto(Guid CompetencyId, string Name, int Rating, string RatingLabel, bool Retired);

/// <summary>What one target level asks; its version is the criteria row's (the ETag of the level).</summary>
public sealed record LevelCriteriaDto(
    Level Level, string Name, int MinDistinctTours, int MinTotalWeeks, bool RequireAllReflected,
    IReadOnlyList<CriteriaTourDto> RequiredTours, IReadOnlyList<MinRatingDto> MinRatings, DateTimeOffset UpdatedAt, uint Version);

public sealed record BandDto(string Code, string Label, int Position, bool Retired);

/// <summary>The decision bands in order, and one version for the set: they are edited as one.</summary>
public sealed record BandsDto(IReadOnlyList<BandDto> Bands, uint Version);

public sealed record CriteriaDto(IReadOnlyList<LevelCriteriaDto> Levels, BandsDto Bands);

public sealed record MinRatingInput(Guid? CompetencyId, int? Rating);

/// <summary>A level's criteria as a whole: what is left out of the lists is no longer asked.</summary>
public sealed record LevelCriteriaRequest(
    int? MinDistinctTours, int? MinTotalWeeks, bool? RequireAllReflected,
    IReadOnlyList<Guid>? RequiredTourIds, IReadOnlyList<MinRatingInput>? MinRatings);

/// <summary>One band as HR states it: an existing code keeps (renames, moves, retires) that band; a new code adds one.</summary>
public sealed record BandInput(string? Code, string? Label, bool? Retired);

/// <summary>Every band, in order. None may be left out: a band is retired, never deleted.</summary>
public sealed record BandsRequest(IReadOnlyList<BandInput>? Bands);

/// <summary>
/// The readiness criteria of each target level and the decision bands: read by everyone on the programme
/// (leaders should know what they are measured against), replaced by HR. Every write is audited by the
/// audit interceptor, in the same transaction.
/// </summary>
public sealed partial class CriteriaService(RotationsDbContext db, TimeProvider clock)
{
    public const int MaxBands = 20;

    /// <summary>A target level from how it travels (HeadOf, Director, VP, CCO; any case); null for anything else, numbers included.</summary>
    public static Level? ParseLevel(string? text) =>
        ReadinessCriteria.Levels.Cast<Level?>().FirstOrDefault(l => string.Equals(l.ToString(), text?.Trim(), StringComparison.OrdinalIgnoreCase));

    public static NotFoundException UnknownLevel(string? text) =>
        new($"There is no target level “{text}”: the levels are {string.Join(", ", ReadinessCriteria.Levels)}.");

    public async Task<CriteriaDto> GetAsync(CancellationToken ct) =>
        new(await LevelsAsync(null, ct), await GetBandsAsync(ct));

    public async Task<LevelCriteriaDto> GetLevelAsync(Level level, CancellationToken ct) =>
        (await LevelsAsync(level, ct)).SingleOrDefault() ?? throw UnknownLevel(level.ToString());

    private async Task<IReadOnlyList<LevelCriteriaDto>> LevelsAsync(Level? only, CancellationToken ct)
    {
        var query = db.ReadinessCriteria.AsNoTracking();
        if (only is { } level) query = query.Where(c => c.Level == level);
        var rows = await query
            .Select(c => new
            {
                c.Level, c.MinDistinctTours, c.MinTotalWeeks, c.RequireAllReflected, c.UpdatedAt, c.Version,
                Tours = c.RequiredTours.OrderBy(t => t.Tour!.Code)
                    .Select(t => new CriteriaTourDto(t.TourId, t.Tour!.Code, t.Tour.Name, t.Tour.IsRetired)).ToList(),
                Ratings = c.MinRatings.OrderBy(r => r.Competency!.IsRetired).ThenBy(r => r.Competency!.Position)
                    .Select(r => new { r.CompetencyId, r.Competency!.Name, r.Rating, r.Competency.IsRetired }).ToList(),
            })
            .ToListAsync(ct);
        return rows
            .Where(r => ReadinessCriteria.Levels.Contains(r.Level))
            .OrderBy(r => r.Level)
            .Select(r => new LevelCriteriaDto(
                r.Level, Levels.Describe(r.Level), r.MinDistinctTours, r.MinTotalWeeks, r.RequireAllReflected, r.Tours,
                r.Ratings.Select(x => new MinRatingDto(x.CompetencyId, x.Name, x.Rating, FeedbackService.Label(x.Rating), x.IsRetired)).ToList(),
                r.UpdatedAt, r.Version))
            .ToList();
    }

    /// <summary>
    /// Replaces one level's criteria as loaded at <paramref name="expectedVersion"/>. Criteria must be attainable:
    /// no more distinct tours than the catalogue has active, no retired tour required, and no retired competency
    /// given a new minimum (one that already has a minimum may keep it).
    /// </summary>
    public async Task<LevelCriteriaDto> PutLevelAsync(Level level, uint expectedVersion, LevelCriteriaRequest request, CancellationToken ct)
    {
        if (!ReadinessCriteria.Levels.Contains(level)) throw UnknownLevel(level.ToString());
        var errors = new Dictionary<string, string[]>();
        if (request.MinDistinctTours is not { } minTours)
            errors["minDistinctTours"] = ["Enter the minimum number of distinct tours (0 for no minimum)."];
        else if (minTours is < 0 or > ReadinessCriteria.MaxTours)
            errors["minDistinctTours"] = [$"Enter a number from 0 to {ReadinessCriteria.MaxTours}."];
        if (request.MinTotalWeeks is not { } minWeeks)
            errors["minTotalWeeks"] = ["Enter the minimum total weeks (0 for no minimum)."];
        else if (minWeeks is < 0 or > ReadinessCriteria.MaxWeeks)
            errors["minTotalWeeks"] = [$"Enter a number from 0 to {ReadinessCriteria.MaxWeeks}."];
        if (request.RequireAllReflected is null)
            errors["requireAllReflected"] = ["Say whether every completed stint needs a submitted reflection (true or false)."];
        if (request.RequiredTourIds is null)
            errors["requiredTourIds"] = ["Send the required tours: a list of tour ids, empty for none."];
        if (request.MinRatings is null)
            errors["minRatings"] = ["Send the minimum ratings: a list of competency ids and ratings, empty for none."];
        var tourIds = request.RequiredTourIds ?? [];
        var ratings = request.MinRatings ?? [];
        // More minimums than a framework can have competencies, or a gap in the list, is not a list of minimums.
        if (ratings.Count > Competencies.CompetencyService.MaxCompetencies)
            throw new ValidationFailedException("minRatings", $"At most {Competencies.CompetencyService.MaxCompetencies} minimum ratings, one per competency.");
        for (var i = 0; i < ratings.Count; i++)
            if (ratings[i] is null)
                throw new ValidationFailedException($"minRatings[{i}]", "Each minimum rating is an object with competencyId and rating.");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The level's row, locked: two HR editors of one level are served one after the other.
        var criteria = await db.ReadinessCriteria
            .FromSql($"select *, xmin from readiness_criteria where level = {level.ToString()} for update")
            .Include(c => c.RequiredTours).Include(c => c.MinRatings)
            .SingleOrDefaultAsync(ct) ?? throw UnknownLevel(level.ToString());
        if (criteria.Version != expectedVersion) throw new StaleVersionException($"The criteria for {Levels.Describe(level)}");

        var activeTours = await db.Tours.CountAsync(t => !t.IsRetired, ct);
        if (request.MinDistinctTours is { } wanted && !errors.ContainsKey("minDistinctTours") && wanted > activeTours)
            errors["minDistinctTours"] = [$"The catalogue has {activeTours} active tours: a level cannot ask for more than that."];

        var tours = await db.Tours.AsNoTracking().Where(t => tourIds.Contains(t.Id))
            .Select(t => new { t.Id, t.Code, t.Name, t.IsRetired }).ToDictionaryAsync(t => t.Id, ct);
        var seenTours = new HashSet<Guid>();
        for (var i = 0; i < tourIds.Count; i++)
        {
            var at = $"requiredTourIds[{i}]";
            if (!tours.TryGetValue(tourIds[i], out var tour)) errors[at] = ["There is no tour with this id."];
            else if (tour.IsRetired) errors[at] = [$"{tour.Name} ({tour.Code}) is retired: a level cannot require it."];
            else if (!seenTours.Add(tour.Id)) errors[at] = [$"{tour.Name} ({tour.Code}) is listed twice."];
        }

        var competencyIds = ratings.Select(r => r.CompetencyId).OfType<Guid>().ToList();
        var competencies = await db.Competencies.AsNoTracking().Where(c => competencyIds.Contains(c.Id))
            .Select(c => new { c.Id, c.Name, c.IsRetired }).ToDictionaryAsync(c => c.Id, ct);
        var alreadyRated = criteria.MinRatings.Select(r => r.CompetencyId).ToHashSet();
        var seenCompetencies = new HashSet<Guid>();
        for (var i = 0; i < ratings.Count; i++)
        {
            var at = $"minRatings[{i}]";
            var item = ratings[i];
            if (item.CompetencyId is not { } id || !competencies.TryGetValue(id, out var competency))
                errors[$"{at}.competencyId"] = ["There is no competency with this id."];
            else if (!seenCompetencies.Add(id))
                errors[$"{at}.competencyId"] = [$"{competency.Name} is listed twice."];
            else if (competency.IsRetired && !alreadyRated.Contains(id))
                errors[$"{at}.competencyId"] = [$"{competency.Name} is retired: it cannot be given a new minimum."];
            if (item.Rating is not (>= 1 and <= 4))
                errors[$"{at}.rating"] = ["Choose a rating from 1 (Not yet shown) to 4 (Role model)."];
        }
        if (errors.Count > 0) throw new ValidationFailedException(errors);

        criteria.MinDistinctTours = request.MinDistinctTours!.Value;
        criteria.MinTotalWeeks = request.MinTotalWeeks!.Value;
        criteria.RequireAllReflected = request.RequireAllReflected!.Value;
        // Always written, so the row's version (xmin) moves even when only the lists changed: an editor who
        // loaded the old lists gets "changed by someone else" instead of undoing this.
        criteria.UpdatedAt = clock.GetUtcNow();
        criteria.RequiredTours.RemoveAll(t => !seenTours.Contains(t.TourId));
        foreach (var tourId in tourIds.Where(t => criteria.RequiredTours.All(x => x.TourId != t)))
            criteria.RequiredTours.Add(new RequiredTour { Level = level, TourId = tourId });
        var wantedRatings = ratings.ToDictionary(r => r.CompetencyId!.Value, r => r.Rating!.Value);
        criteria.MinRatings.RemoveAll(r => !wantedRatings.ContainsKey(r.CompetencyId));
        foreach (var (competencyId, rating) in wantedRatings)
        {
            if (criteria.MinRatings.Find(r => r.CompetencyId == competencyId) is { } existing) existing.Rating = rating;
            else criteria.MinRatings.Add(new MinRating { Level = level, CompetencyId = competencyId, Rating = rating });
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return await GetLevelAsync(level, ct);
    }

    public async Task<BandsDto> GetBandsAsync(CancellationToken ct)
    {
        var rows = await db.ReadinessBands.AsNoTracking().OrderBy(b => b.Position).ThenBy(b => b.Code).ToListAsync(ct);
        return new BandsDto(rows.Select(b => new BandDto(b.Code, b.Label, b.Position, b.IsRetired)).ToList(), Fingerprint(rows));
    }

    [GeneratedRegex("^[A-Z][A-Za-z0-9]*$")]
    private static partial Regex BandCode();

    /// <summary>
    /// Replaces the bands as a whole: labels, order, retired or not, and new ones. <paramref name="expectedVersion"/>
    /// null means "whatever is current" (If-Match: *).
    /// </summary>
    public async Task<BandsDto> PutBandsAsync(uint? expectedVersion, BandsRequest request, CancellationToken ct)
    {
        var items = request.Bands;
        if (items is null || items.Count == 0)
            throw new ValidationFailedException("bands", "Send the bands: every band, in order.");
        if (items.Count > MaxBands)
            throw new ValidationFailedException("bands", $"At most {MaxBands} bands.");
        for (var i = 0; i < items.Count; i++)
            if (items[i] is null)
                throw new ValidationFailedException($"bands[{i}]", "Each band is an object with code, label and retired.");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Why a table lock and a fingerprint of the content, not row locks and xmin as elsewhere: an edit may
        // only ADD a band, and a concurrent editor holding row locks on the existing bands would not see that
        // insert (its snapshot predates it), so two adds of the same label could both pass. EXCLUSIVE mode
        // queues writers and "for share"/"for update" readers (a review submitted with a band) behind us, and
        // the next statement reads everything committed before. The version is a hash of what the bands
        // say (code, label, position, retired): it moves with every change an editor could have missed,
        // inserts included, which the rows' own versions would not. Readers are not blocked.
        await db.Database.ExecuteSqlRawAsync("lock table readiness_bands in exclusive mode", ct);
        var existing = await db.ReadinessBands.ToListAsync(ct);
        if (expectedVersion is { } v && Fingerprint(existing) != v) throw new StaleVersionException("The decision bands");

        var errors = new Dictionary<string, string[]>();
        var byCode = existing.ToDictionary(b => b.Code, StringComparer.Ordinal);
        var codes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var labels = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < items.Count; i++)
        {
            var at = $"bands[{i}]";
            var code = items[i].Code?.Trim() ?? "";
            if (code.Length == 0)
                errors[$"{at}.code"] = ["Enter the band's code, like ReadyNow."];
            else if (!byCode.ContainsKey(code) && code.Length > ReadinessBand.MaxCodeLength)
                errors[$"{at}.code"] = [$"At most {ReadinessBand.MaxCodeLength} characters."];
            else if (!byCode.ContainsKey(code) && !BandCode().IsMatch(code))
                errors[$"{at}.code"] = ["Letters and digits only, starting with a capital, like ReadyLater."];
            else if (!codes.Add(code))
                errors[$"{at}.code"] = [$"{code} is listed twice."];
            else if (!byCode.ContainsKey(code) && existing.Any(b => string.Equals(b.Code, code, StringComparison.OrdinalIgnoreCase)))
                errors[$"{at}.code"] = [$"There is already a band {existing.First(b => string.Equals(b.Code, code, StringComparison.OrdinalIgnoreCase)).Code}."];

            var label = items[i].Label?.Trim() ?? "";
            if (label.Length == 0) errors[$"{at}.label"] = ["Enter the band's label, as managers will read it."];
            else if (label.Length > ReadinessBand.MaxLabelLength) errors[$"{at}.label"] = [$"At most {ReadinessBand.MaxLabelLength} characters."];
            else if (!labels.Add(label)) errors[$"{at}.label"] = [$"“{label}” is already the label of another band."];
        }
        var listed = items.Select(i => i.Code?.Trim()).ToHashSet(StringComparer.Ordinal);
        var missing = existing.Where(b => !listed.Contains(b.Code)).Select(b => b.Code).ToList();
        var messages = new List<string>();
        if (missing.Count > 0)
            messages.Add($"A band is never deleted: list {string.Join(", ", missing)} too (retire it if it should no longer be chosen).");
        if (items.All(i => i.Retired == true))
            messages.Add("At least one band must stay active: a manager has to be able to record a decision.");
        if (messages.Count > 0) errors["bands"] = [.. messages];
        if (errors.Count > 0) throw new ValidationFailedException(errors);

        for (var i = 0; i < items.Count; i++)
        {
            var code = items[i].Code!.Trim();
            if (!byCode.TryGetValue(code, out var band))
            {
                band = new ReadinessBand { Code = code, Label = items[i].Label!.Trim() };
                db.ReadinessBands.Add(band);
            }
            band.Label = items[i].Label!.Trim();
            band.Position = i + 1;
            band.IsRetired = items[i].Retired ?? false;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return await GetBandsAsync(ct);
    }

    /// <summary>A version for the whole set of bands, from what they say (FNV-1a).</summary>
    private static uint Fingerprint(IEnumerable<ReadinessBand> bands)
    {
        var hash = 2166136261u;
        foreach (var b in bands.OrderBy(b => b.Code, StringComparer.Ordinal))
            foreach (var ch in $"{b.Code}\u0001{b.Label}\u0001{b.Position}\u0001{b.IsRetired}\u0002")
                hash = (hash ^ ch) * 16777619u;
        return hash;
    }
}
