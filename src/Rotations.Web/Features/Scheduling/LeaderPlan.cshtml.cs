using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;

namespace Rotations.Web.Features.Scheduling;

/// <summary>A leader's plan, for HR and Admin, the leader's manager and the leader; "not found" for anyone else.</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class LeaderPlanModel(PlanQueries plans) : PageModel
{
    public PlanView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var plan = await plans.ForAsync(id, User, ct);
        if (plan is null) return NotFound();
        View = new PlanView(plan, IsSelf: plan.LeaderId == User.PersonId(), CanBook: User.CanManageStints());
        return Page();
    }
}
