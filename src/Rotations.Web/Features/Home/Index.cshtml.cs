using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;

namespace Rotations.Web.Features.Home;

[Authorize(Policy = Policies.SignedIn)]
public sealed class IndexModel : PageModel
{
    public string FirstName { get; private set; } = "";
    public IReadOnlyList<string> Roles { get; private set; } = [];

    public void OnGet()
    {
        var name = User.FindFirst(AccountClaims.DisplayName)?.Value ?? User.Identity?.Name ?? "";
        FirstName = name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? name;
        Roles = Account.Roles.All.Where(User.IsInRole).ToList();
    }
}
