using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;

namespace Rotations.Web.Features.Reflections;

/// <summary>
/// A leader's learning log for their manager and HR (and the leader themself); "not found" for anyone else,
/// as the service decides. Others read submitted reflections only, never a draft's text.
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class LeaderLogModel(LearningLog log) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }

    public LogView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var (view, invalid) = await LogPages.ReadAsync(log, id, Q, $"/Leaders/{id}/Log", User, ct);
        if (view is null) return NotFound();
        if (invalid) Response.StatusCode = StatusCodes.Status400BadRequest;
        View = view;
        return Page();
    }
}
