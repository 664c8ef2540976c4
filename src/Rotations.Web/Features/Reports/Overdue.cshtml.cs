using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Reports;

/// <summary>Every overdue reflection, most overdue first, optionally for one cohort.</summary>
[Authorize(Policy = Policies.Coordinator)]
public sealed class OverdueModel(ReportsService reports) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? CohortId { get; set; }

    public IReadOnlyList<CohortChoice> Cohorts { get; private set; } = [];
    public OverdueReport Report { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Cohorts = await reports.CohortsAsync(ct);
        try
        {
            Report = await reports.OverdueAsync(CohortId, ct);
        }
        catch (ValidationFailedException ex)
        {
            ModelState.AddModelError(nameof(CohortId), string.Join(" ", ex.Errors.Values.SelectMany(m => m)));
            Report = await reports.OverdueAsync(null, ct);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }
}
