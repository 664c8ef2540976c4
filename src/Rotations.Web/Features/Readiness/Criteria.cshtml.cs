using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;

namespace Rotations.Web.Features.Readiness;

/// <summary>The four target levels side by side, for everyone on the programme: what each asks of a leader.</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class CriteriaModel(CriteriaService service) : PageModel
{
    public CriteriaDto Criteria { get; private set; } = null!;
    public bool CanEdit => User.IsInRole(Roles.HR) || User.IsInRole(Roles.Admin);

    public async Task OnGetAsync(CancellationToken ct) => Criteria = await service.GetAsync(ct);
}
