using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;

namespace Rotations.Web.Features.Competencies;

/// <summary>The competency framework, for everyone on the programme: what each competency means and where it is developed.</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class IndexModel(CompetencyService service) : PageModel
{
    public FrameworkDto Framework { get; private set; } = null!;
    public bool CanEdit => User.IsInRole(Roles.HR) || User.IsInRole(Roles.Admin);

    public async Task OnGetAsync(CancellationToken ct) => Framework = await service.GetAsync(includeRetired: false, ct);
}
