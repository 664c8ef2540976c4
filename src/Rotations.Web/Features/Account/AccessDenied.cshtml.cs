using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Rotations.Web.Features.Account;

[Authorize(Policy = Policies.SignedIn)]
public sealed class AccessDeniedModel : PageModel
{
    public void OnGet() { }
}
