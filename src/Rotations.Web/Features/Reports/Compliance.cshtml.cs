using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;

namespace Rotations.Web.Features.Reports;

/// <summary>Reflections on time, by cohort and by tour.</summary>
[Authorize(Policy = Policies.Coordinator)]
public sealed class ComplianceModel(ReportsService reports) : PageModel
{
    public ComplianceReport Report { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => Report = await reports.ComplianceAsync(ct);
}
