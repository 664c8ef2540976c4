using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;

namespace Rotations.Web.Features.Reports;

/// <summary>The reports, for HR and Admin: what each one answers, with a link.</summary>
[Authorize(Policy = Policies.Coordinator)]
public sealed class IndexModel : PageModel
{
    public void OnGet() { }
}
