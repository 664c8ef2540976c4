using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Readiness;

/// <summary>HR edits the decision bands as a whole: labels, order, retired or not, and a new one in the empty row.</summary>
[Authorize(Policy = Policies.HR)]
public sealed partial class BandsModel(CriteriaService service) : PageModel
{
    public sealed class Row
    {
        public string? Code { get; set; }
        /// <summary>The empty row at the end: its code is typed, not fixed.</summary>
        public bool IsNew { get; set; }
        public string? Label { get; set; }
        public int? Position { get; set; }
        public bool Retired { get; set; }
    }

    [BindProperty] public List<Row> Rows { get; set; } = [];
    [BindProperty] public uint Version { get; set; }

    public string? Error { get; private set; }
    public bool Stale { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var bands = await service.GetBandsAsync(ct);
        Version = bands.Version;
        Rows = bands.Bands.Select(b => new Row { Code = b.Code, Label = b.Label, Position = b.Position, Retired = b.Retired })
            .Append(new Row { IsNew = true, Position = bands.Bands.Count + 1 })
            .ToList();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        foreach (var entry in ModelState.Values.Where(v => v.Errors.Count > 0))
        {
            entry.Errors.Clear();
            entry.Errors.Add("Enter a whole number.");
        }
        // The bands in the order of the position column; a blank new row is no band.
        var kept = Rows.Select((row, index) => (row, index))
            .Where(x => !(x.row.IsNew && string.IsNullOrWhiteSpace(x.row.Code) && string.IsNullOrWhiteSpace(x.row.Label)))
            .OrderBy(x => x.row.Position ?? int.MaxValue).ThenBy(x => x.index)
            .ToList();
        try
        {
            if (!ModelState.IsValid) throw new ValidationFailedException(new Dictionary<string, string[]>());
            await service.PutBandsAsync(Version, new BandsRequest(kept.Select(x => new BandInput(x.row.Code, x.row.Label, x.row.Retired)).ToList()), ct);
            TempData["Flash"] = "Saved the decision bands.";
            return Redirect("/Readiness/Bands");
        }
        catch (ValidationFailedException ex)
        {
            foreach (var (field, messages) in ex.Errors)
            {
                var key = KeyFor(field, kept.Select(x => x.index).ToList());
                foreach (var message in messages) ModelState.AddModelError(key, message);
            }
            Error = "The bands were not saved. Correct the fields marked below.";
        }
        catch (StaleVersionException)
        {
            Stale = true;
        }
        Response.StatusCode = Stale ? StatusCodes.Status412PreconditionFailed : StatusCodes.Status400BadRequest;
        return Page();
    }

    [GeneratedRegex(@"^bands\[(\d+)\]\.(\w+)$")]
    private static partial Regex BandField();

    /// <summary>"bands[2].label" from the service → "Rows[4].Label" on this form; "bands" → the form as a whole.</summary>
    private static string KeyFor(string field, List<int> rowOfItem)
    {
        var match = BandField().Match(field);
        if (!match.Success) return "";
        var item = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (item >= rowOfItem.Count) return "";
        var name = match.Groups[2].Value;
        return $"Rows[{rowOfItem[item]}].{char.ToUpperInvariant(name[0])}{name[1..]}";
    }

    public string? ErrorFor(string key) =>
        ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0 ? string.Join(" ", entry.Errors.Select(e => e.ErrorMessage)) : null;
}
