using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Reports;

/// <summary>
/// Two to four leaders side by side for one level. The address carries the choice
/// (<c>?level=VP&amp;leaders=a,b,c</c>; the form sends the leaders one by one), so a comparison can be shared.
/// </summary>
[Authorize(Policy = Policies.Coordinator)]
public sealed class CompareModel(ReportsService reports) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Level { get; set; }
    [BindProperty(SupportsGet = true)] public string[] Leaders { get; set; } = [];

    public IReadOnlyList<LeaderChoice> Choices { get; private set; } = [];
    public Comparison? Result { get; private set; }
    public HashSet<Guid> Chosen { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Choices = await reports.LeaderChoicesAsync(ct);
        foreach (var part in Leaders.SelectMany(l => l.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
            if (Guid.TryParse(part, out var id)) Chosen.Add(id);
        if (Level is null && Leaders.Length == 0) return Page();
        try
        {
            Result = await reports.CompareAsync(Level, Leaders, ct);
        }
        catch (ValidationFailedException ex)
        {
            foreach (var (field, messages) in ex.Errors)
                ModelState.AddModelError(field == "level" ? nameof(Level) : nameof(Leaders), string.Join(" ", messages));
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }

    public string Errors(string field) => string.Join(" ", ViewData.ModelState[field]?.Errors.Select(e => e.ErrorMessage) ?? []);
}
