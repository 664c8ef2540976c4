using Microsoft.EntityFrameworkCore;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Competencies;

public sealed record CompetencyTourDto(Guid Id, string Code, string Name);

public sealed record CompetencyDto(Guid Id, int Position, string Name, string Description, bool Retired, IReadOnlyList<CompetencyTourDto> Tours);

/// <summary>The whole framework and its version (one ETag for the set: it is edited as one).</summary>
public sealed record FrameworkDto(IReadOnlyList<CompetencyDto> Competencies, uint Version);

/// <summary>One competency as HR states it: an id to keep an existing one, none to add a new one.</summary>
public sealed record CompetencyInput(Guid? Id, string? Name, string? Description, IReadOnlyList<Guid>? TourIds);

/// <summary>The framework in order. Existing competencies left out are retired (kept for the evidence that cites them).</summary>
public sealed record FrameworkRequest(IReadOnlyList<CompetencyInput>? Competencies);

/// <summary>Reading the competency framework (everyone on the programme) and replacing it (HR).</summary>
public sealed class CompetencyService(RotationsDbContext db)
{
    public const int MaxCompetencies = 40;

    public async Task<FrameworkDto> GetAsync(bool includeRetired, CancellationToken ct)
    {
        var rows = await db.Competencies.AsNoTracking()
            .OrderBy(c => c.IsRetired).ThenBy(c => c.Position)
            .Select(c => new
            {
                c.Id, c.Position, c.Name, c.Description, c.IsRetired, c.Version,
                Tours = c.Tours.OrderBy(t => t.Tour!.Code).Select(t => new CompetencyTourDto(t.TourId, t.Tour!.Code, t.Tour.Name)).ToList(),
            })
            .ToListAsync(ct);
        var version = Fingerprint(rows.Select(r => (r.Id, r.Version, r.Position, r.Tours.Select(t => t.Id))));
        return new FrameworkDto(
            rows.Where(r => includeRetired || !r.IsRetired)
                .Select(r => new CompetencyDto(r.Id, r.Position, r.Name, r.Description, r.IsRetired, r.Tours)).ToList(),
            version);
    }

    public async Task<FrameworkDto> ReplaceAsync(uint expectedVersion, FrameworkRequest request, CancellationToken ct)
    {
        var items = request.Competencies;
        var errors = new Dictionary<string, string[]>();
        if (items is null || items.Count == 0)
            throw new ValidationFailedException("competencies", "Send the framework: a list of at least one competency, in order.");
        if (items.Count > MaxCompetencies)
            throw new ValidationFailedException("competencies", $"A framework has at most {MaxCompetencies} competencies.");
        for (var i = 0; i < items.Count; i++)
            if (items[i] is null)
                throw new ValidationFailedException($"competencies[{i}]", "Each competency is an object with name, description and tourIds (and the id of one it keeps).");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // One editor at a time: the framework is replaced as a whole.
        var existing = await db.Competencies.FromSqlRaw("select *, xmin from competencies for update").Include(c => c.Tours).ToListAsync(ct);
        var current = Fingerprint(existing.Select(c => (c.Id, c.Version, c.Position, c.Tours.Select(t => t.TourId))));
        if (current != expectedVersion) throw new StaleVersionException("The competency framework");

        var tourIds = items.SelectMany(i => i.TourIds ?? []).Distinct().ToList();
        var knownTours = (await db.Tours.Where(t => tourIds.Contains(t.Id)).Select(t => t.Id).ToListAsync(ct)).ToHashSet();
        var byId = existing.ToDictionary(c => c.Id);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var seenIds = new HashSet<Guid>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var at = $"competencies[{i}]";
            if (item.Id is { } id && (!byId.ContainsKey(id) || !seenIds.Add(id)))
                errors[$"{at}.id"] = [byId.ContainsKey(id) ? "This competency is listed twice." : "There is no competency with this id; leave the id out to add a new one."];
            var name = item.Name?.Trim() ?? "";
            if (name.Length == 0) errors[$"{at}.name"] = ["Enter the competency's name."];
            else if (name.Length > Competency.MaxNameLength) errors[$"{at}.name"] = [$"At most {Competency.MaxNameLength} characters."];
            else if (!names.Add(name)) errors[$"{at}.name"] = [$"“{name}” is already in the framework."];
            if ((item.Description?.Trim().Length ?? 0) > Competency.MaxDescriptionLength)
                errors[$"{at}.description"] = [$"At most {Competency.MaxDescriptionLength} characters."];
            var unknown = (item.TourIds ?? []).Where(t => !knownTours.Contains(t)).ToList();
            if (unknown.Count > 0) errors[$"{at}.tourIds"] = [$"No such tour: {string.Join(", ", unknown)}."];
        }
        if (errors.Count > 0) throw new ValidationFailedException(errors);

        var kept = new HashSet<Guid>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var competency = item.Id is { } id ? byId[id] : null;
            if (competency is null)
            {
                competency = new Competency { Name = item.Name!.Trim() };
                db.Competencies.Add(competency);
            }
            kept.Add(competency.Id);
            competency.Position = i + 1;
            competency.Name = item.Name!.Trim();
            competency.Description = item.Description?.Trim() ?? "";
            competency.IsRetired = false;
            var wanted = (item.TourIds ?? []).ToHashSet();
            competency.Tours.RemoveAll(t => !wanted.Contains(t.TourId));
            foreach (var tourId in wanted.Where(t => competency.Tours.All(x => x.TourId != t)))
                competency.Tours.Add(new TourCompetency { CompetencyId = competency.Id, TourId = tourId });
        }
        var next = items.Count;
        foreach (var retired in existing.Where(c => !kept.Contains(c.Id)).OrderBy(c => c.Position))
        {
            retired.IsRetired = true;
            retired.Position = ++next;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return await GetAsync(includeRetired: true, ct);
    }

    /// <summary>A version for the whole set: it moves when any competency, its place or its tours change.</summary>
    private static uint Fingerprint(IEnumerable<(Guid Id, uint Version, int Position, IEnumerable<Guid> Tours)> rows)
    {
        var hash = 2166136261u;
        void Add(string text)
        {
            foreach (var ch in text) hash = (hash ^ ch) * 16777619u;
        }
        foreach (var r in rows.OrderBy(r => r.Id))
        {
            Add($"{r.Id}:{r.Version}:{r.Position}");
            foreach (var t in r.Tours.Order()) Add($">{t}");
            Add(";");
        }
        return hash;
    }
}
