using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;

namespace Rotations.Web.Features.Scheduling;

/// <summary>The signed-in leader's own plan, and the way to put their stints in their calendar.</summary>
[Authorize(Policy = Policies.SignedIn, Roles = Roles.Leader)]
public sealed class MyPlanModel(PlanQueries plans) : PageModel
{
    public PlanView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var plan = await plans.ForAsync(User.PersonId(), User, ct);
        if (plan is null) return NotFound();
        View = new PlanView(plan, IsSelf: true, CanBook: User.CanManageStints());
        return Page();
    }
}
