using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;

namespace Rotations.Web.Features.Catalogue;

[Authorize(Policy = Policies.SignedIn)]
public sealed class ToursModel(CatalogueService catalogue) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public bool IncludeRetired { get; set; }

    public IReadOnlyList<TourDto> Tours { get; private set; } = [];
    public bool CanEdit => User.IsInRole(Roles.HR) || User.IsInRole(Roles.Admin);

    public async Task OnGetAsync(CancellationToken ct) => Tours = await catalogue.ListAsync(IncludeRetired, ct);
}
