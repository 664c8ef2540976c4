using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;

namespace Rotations.Web.Features.Reflections;

/// <summary>The signed-in leader's own learning log: every stint with objectives, reflection (drafts too) and host feedback.</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class LearningLogModel(LearningLog log) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }

    public LogView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var (view, invalid) = await LogPages.ReadAsync(log, User.PersonId(), Q, "/LearningLog", User, ct);
        if (view is null) return NotFound();
        if (invalid) Response.StatusCode = StatusCodes.Status400BadRequest;
        View = view;
        return Page();
    }
}
