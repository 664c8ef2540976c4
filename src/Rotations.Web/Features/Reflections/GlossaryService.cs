using Microsoft.EntityFrameworkCore;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Reflections;

public sealed record GlossaryMeaning(string Meaning, string CustomerMeaning);

/// <summary>One term of one department, with the meanings leaders recorded for it (the same wording once).</summary>
public sealed record GlossaryTerm(string Term, string TourCode, string TourName, IReadOnlyList<GlossaryMeaning> Meanings);

public sealed record GlossaryTour(string Code, string Name, int Terms);

public sealed record GlossaryDto(IReadOnlyList<GlossaryTerm> Terms, IReadOnlyList<GlossaryTour> Tours, int Total, string? Query, string? Tour);

/// <summary>
/// The company's one vocabulary: the terms of submitted reflections, department by department. Everyone on
/// the programme reads it; it carries the terms only, never who wrote them or the reflection they came from.
/// </summary>
public sealed class GlossaryService(RotationsDbContext db)
{
    public const int MaxQueryLength = 200;

    public async Task<GlossaryDto> SearchAsync(string? query, string? tourCode, CancellationToken ct)
    {
        var q = query?.Trim() ?? "";
        var tour = string.IsNullOrWhiteSpace(tourCode) ? null : tourCode.Trim().ToUpperInvariant();
        if (q.Length > MaxQueryLength) throw new ValidationFailedException("q", $"Search for at most {MaxQueryLength} characters.");

        var terms = Published();
        var distinct = await terms.Select(t => new { t.Code, t.Name, Term = t.Term.ToLower() }).Distinct().ToListAsync(ct);
        var tours = distinct.GroupBy(t => (t.Code, t.Name)).Select(g => new GlossaryTour(g.Key.Code, g.Key.Name, g.Count()))
            .OrderBy(t => t.Code, StringComparer.Ordinal).ToList();
        if (tour is not null && tours.All(t => t.Code != tour) && !await db.Tours.AnyAsync(t => t.Code == tour, ct))
            throw new ValidationFailedException("tour", $"There is no tour with the code {tour}.");

        if (tour is not null) terms = terms.Where(t => t.Code == tour);
        if (q.Length > 0)
        {
            var pattern = "%" + q.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            terms = terms.Where(t => EF.Functions.ILike(t.Term, pattern, "\\") || EF.Functions.ILike(t.Meaning, pattern, "\\")
                                     || EF.Functions.ILike(t.CustomerMeaning, pattern, "\\"));
        }
        var rows = await terms.OrderBy(t => t.Code).ThenBy(t => t.Term.ToLower()).ThenBy(t => t.SubmittedAt).ToListAsync(ct);
        var grouped = rows
            .GroupBy(r => (r.Code, Key: r.Term.ToLowerInvariant()))
            .Select(g => new GlossaryTerm(g.First().Term, g.Key.Code, g.First().Name,
                g.Select(r => new GlossaryMeaning(r.Meaning, r.CustomerMeaning)).Distinct().ToList()))
            .ToList();
        return new GlossaryDto(grouped, tours, grouped.Count, q.Length > 0 ? q : null, tour);
    }

    /// <summary>Member initialisation, not a constructor, so that EF can keep composing the query on its properties.</summary>
    private sealed class Row
    {
        public required string Term { get; init; }
        public required string Meaning { get; init; }
        public required string CustomerMeaning { get; init; }
        public required string Code { get; init; }
        public required string Name { get; init; }
        public DateTimeOffset? SubmittedAt { get; init; }
    }

    /// <summary>Terms of submitted reflections on stints that were not cancelled.</summary>
    private IQueryable<Row> Published() =>
        from t in db.ReflectionTerms.AsNoTracking()
        join r in db.Reflections on t.StintId equals r.StintId
        join s in db.Stints on r.StintId equals s.Id
        where r.SubmittedAt != null && s.CancelledAt == null
        select new Row
        {
            Term = t.Term, Meaning = t.Meaning, CustomerMeaning = t.CustomerMeaning, Code = s.Tour!.Code, Name = s.Tour.Name, SubmittedAt = r.SubmittedAt,
        };
}
