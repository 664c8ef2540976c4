using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Reflections;

namespace Rotations.Web.Features.Home;

[Authorize(Policy = Policies.SignedIn)]
public sealed class IndexModel(LearningTasks tasks) : PageModel
{
    /// <summary>The reflections and feedback that wait for this person.</summary>
    public LearningTasksDto Tasks { get; private set; } = null!;

    public string FirstName { get; private set; } = "";
    public IReadOnlyList<string> Roles { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Tasks = await tasks.ForAsync(User, ct);
        var name = User.FindFirst(AccountClaims.DisplayName)?.Value ?? User.Identity?.Name ?? "";
        FirstName = name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? name;
        Roles = Account.Roles.All.Where(User.IsInRole).ToList();
    }
}
