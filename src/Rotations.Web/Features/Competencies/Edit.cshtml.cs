using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Competencies;

/// <summary>HR edits the framework as a whole: names, descriptions, order, tours; retires one or adds one.</summary>
[Authorize(Policy = Policies.HR)]
public sealed class EditModel(CompetencyService service, RotationsDbContext db) : PageModel
{
    public sealed class Row
    {
        public Guid? Id { get; set; }
        public int? Position { get; set; }
        public string? Name { get; set; }
        public string? Description { get; set; }
        public List<Guid> TourIds { get; set; } = [];
        public bool Retire { get; set; }
    }

    public sealed record TourChoice(Guid Id, string Code, string Name);

    [BindProperty] public List<Row> Rows { get; set; } = [];
    [BindProperty] public uint Version { get; set; }

    public IReadOnlyList<TourChoice> Tours { get; private set; } = [];
    public string? Error { get; private set; }
    public bool Stale { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var framework = await service.GetAsync(includeRetired: false, ct);
        Version = framework.Version;
        Rows = framework.Competencies
            .Select(c => new Row { Id = c.Id, Position = c.Position, Name = c.Name, Description = c.Description, TourIds = c.Tours.Select(t => t.Id).ToList() })
            .Append(new Row { Position = framework.Competencies.Count + 1 })
            .ToList();
        await LoadToursAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        foreach (var entry in ModelState.Values.Where(v => v.Errors.Count > 0))
        {
            entry.Errors.Clear();
            entry.Errors.Add("Enter a whole number.");
        }
        // The framework in the order of the position column; a blank new row is no competency.
        var kept = Rows.Select((row, index) => (row, index))
            .Where(x => !x.row.Retire && !(x.row.Id is null && string.IsNullOrWhiteSpace(x.row.Name) && string.IsNullOrWhiteSpace(x.row.Description)))
            .OrderBy(x => x.row.Position ?? int.MaxValue).ThenBy(x => x.index)
            .ToList();
        try
        {
            if (!ModelState.IsValid) throw new ValidationFailedException(new Dictionary<string, string[]>());
            await service.ReplaceAsync(Version, new FrameworkRequest(
                kept.Select(x => new CompetencyInput(x.row.Id, x.row.Name, x.row.Description, x.row.TourIds)).ToList()), ct);
            TempData["Flash"] = "Saved the competency framework.";
            return Redirect("/Competencies");
        }
        catch (ValidationFailedException ex)
        {
            foreach (var (field, messages) in ex.Errors)
            {
                var key = KeyFor(field, kept.Select(x => x.index).ToList());
                foreach (var message in messages) ModelState.AddModelError(key, message);
            }
            Error = "The framework was not saved. Correct the fields marked below.";
        }
        catch (StaleVersionException)
        {
            Stale = true;
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadToursAsync(ct);
        return Page();
    }

    /// <summary>"competencies[2].name" from the service → "Rows[5].Name" on this form.</summary>
    private static string KeyFor(string field, List<int> rowOfItem)
    {
        var match = System.Text.RegularExpressions.Regex.Match(field, @"^competencies\[(\d+)\]\.(\w+)$");
        if (!match.Success) return "";
        var item = int.Parse(match.Groups[1].Value);
        if (item >= rowOfItem.Count) return "";
        var name = match.Groups[2].Value;
        return $"Rows[{rowOfItem[item]}].{char.ToUpperInvariant(name[0])}{name[1..]}";
    }

    private async Task LoadToursAsync(CancellationToken ct) =>
        Tours = await db.Tours.AsNoTracking().Where(t => !t.IsRetired).OrderBy(t => t.Code)
            .Select(t => new TourChoice(t.Id, t.Code, t.Name)).ToListAsync(ct);
}
