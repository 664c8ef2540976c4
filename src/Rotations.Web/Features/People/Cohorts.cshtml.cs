using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;

namespace Rotations.Web.Features.People;

[Authorize(Policy = Policies.HR)]
public sealed class CohortsModel(CohortService cohorts) : PageModel
{
    public IReadOnlyList<CohortDto> Cohorts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Cohorts = await cohorts.ListAsync(ct);
}
