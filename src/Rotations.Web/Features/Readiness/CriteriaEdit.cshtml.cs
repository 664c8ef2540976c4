using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.People;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Readiness;

/// <summary>HR edits one level's criteria: the minimums, the required tours, the reflections rule and a minimum per competency.</summary>
[Authorize(Policy = Policies.HR)]
public sealed partial class CriteriaEditModel(CriteriaService service, RotationsDbContext db) : PageModel
{
    public sealed class RatingRow
    {
        public Guid CompetencyId { get; set; }
        /// <summary>Null: no minimum.</summary>
        public int? Rating { get; set; }
    }

    public sealed record TourChoice(Guid Id, string Code, string Name, bool Retired);

    public sealed record CompetencyChoice(Guid Id, string Name, bool Retired);

    [BindProperty] public int? MinDistinctTours { get; set; }
    [BindProperty] public int? MinTotalWeeks { get; set; }
    [BindProperty] public bool RequireAllReflected { get; set; }
    [BindProperty] public List<Guid> TourIds { get; set; } = [];
    [BindProperty] public List<RatingRow> Ratings { get; set; } = [];
    [BindProperty] public uint Version { get; set; }

    public Level Level { get; private set; }
    public string LevelName => Levels.Describe(Level);
    public IReadOnlyList<TourChoice> Tours { get; private set; } = [];
    /// <summary>The competencies a minimum can be set for, in the framework's order.</summary>
    public IReadOnlyList<CompetencyChoice> Competencies { get; private set; } = [];
    public string? Error { get; private set; }
    public bool Stale { get; private set; }

    public async Task<IActionResult> OnGetAsync(string level, CancellationToken ct)
    {
        if (CriteriaService.ParseLevel(level) is not { } parsed) return NotFound();
        Level = parsed;
        var criteria = await service.GetLevelAsync(parsed, ct);
        Version = criteria.Version;
        MinDistinctTours = criteria.MinDistinctTours;
        MinTotalWeeks = criteria.MinTotalWeeks;
        RequireAllReflected = criteria.RequireAllReflected;
        TourIds = criteria.RequiredTours.Select(t => t.Id).ToList();
        await LoadChoicesAsync(criteria, ct);
        var minimum = criteria.MinRatings.ToDictionary(r => r.CompetencyId, r => r.Rating);
        Ratings = Competencies.Select(c => new RatingRow { CompetencyId = c.Id, Rating = minimum.TryGetValue(c.Id, out var r) ? r : null }).ToList();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string level, CancellationToken ct)
    {
        if (CriteriaService.ParseLevel(level) is not { } parsed) return NotFound();
        Level = parsed;
        foreach (var entry in ModelState.Values.Where(v => v.Errors.Count > 0))
        {
            entry.Errors.Clear();
            entry.Errors.Add("Enter a whole number.");
        }
        // The request's minRatings are the rows with a rating, in order: remember which row each came from.
        var rated = Ratings.Select((row, index) => (row, index)).Where(x => x.row.Rating is not null).ToList();
        try
        {
            if (!ModelState.IsValid) throw new ValidationFailedException(new Dictionary<string, string[]>());
            await service.PutLevelAsync(parsed, Version, new LevelCriteriaRequest(
                MinDistinctTours, MinTotalWeeks, RequireAllReflected, TourIds,
                rated.Select(x => new MinRatingInput(x.row.CompetencyId, x.row.Rating)).ToList()), ct);
            TempData["Flash"] = $"Saved the criteria for {LevelName}.";
            return Redirect($"/Readiness/Criteria#level-{parsed}");
        }
        catch (ValidationFailedException ex)
        {
            foreach (var (field, messages) in ex.Errors)
            {
                var key = KeyFor(field, rated.Select(x => x.index).ToList());
                foreach (var message in messages) ModelState.AddModelError(key, message);
            }
            Error = $"The criteria for {LevelName} were not saved. Correct the fields marked below.";
        }
        catch (StaleVersionException)
        {
            Stale = true;
        }
        Response.StatusCode = Stale ? StatusCodes.Status412PreconditionFailed : StatusCodes.Status400BadRequest;
        await LoadChoicesAsync(await service.GetLevelAsync(parsed, ct), ct);
        return Page();
    }

    [GeneratedRegex(@"^minRatings\[(\d+)\]\.\w+$")]
    private static partial Regex RatingField();

    /// <summary>The service's field names → this form's: "minRatings[1].rating" is the second rated row's select.</summary>
    private static string KeyFor(string field, List<int> rowOfItem)
    {
        if (field.StartsWith("requiredTourIds", StringComparison.Ordinal)) return nameof(TourIds);
        if (RatingField().Match(field) is { Success: true } m)
        {
            var item = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return item < rowOfItem.Count ? $"Ratings[{rowOfItem[item]}].Rating" : "";
        }
        return field switch
        {
            "minDistinctTours" => nameof(MinDistinctTours),
            "minTotalWeeks" => nameof(MinTotalWeeks),
            "requireAllReflected" => nameof(RequireAllReflected),
            _ => "",
        };
    }

    /// <summary>Active tours and competencies, and the retired ones this level still names (so HR sees them).</summary>
    private async Task LoadChoicesAsync(LevelCriteriaDto saved, CancellationToken ct)
    {
        var requiredRetired = saved.RequiredTours.Where(t => t.Retired).Select(t => t.Id).ToList();
        Tours = await db.Tours.AsNoTracking().Where(t => !t.IsRetired || requiredRetired.Contains(t.Id)).OrderBy(t => t.IsRetired).ThenBy(t => t.Code)
            .Select(t => new TourChoice(t.Id, t.Code, t.Name, t.IsRetired)).ToListAsync(ct);
        var ratedRetired = saved.MinRatings.Where(r => r.Retired).Select(r => r.CompetencyId).ToList();
        Competencies = await db.Competencies.AsNoTracking().Where(c => !c.IsRetired || ratedRetired.Contains(c.Id))
            .OrderBy(c => c.IsRetired).ThenBy(c => c.Position).Select(c => new CompetencyChoice(c.Id, c.Name, c.IsRetired)).ToListAsync(ct);
    }

    public string? ErrorFor(string key) =>
        ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0 ? string.Join(" ", entry.Errors.Select(e => e.ErrorMessage)) : null;
}
