using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;

namespace Rotations.Web.Features.Admin;

[Authorize(Policy = Policies.Admin)]
public sealed class PeopleModel(RoleAssignment assignment) : PageModel
{
    public const int PageSize = 200;

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public IReadOnlyList<PersonRolesRow> People { get; private set; } = [];
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => People = await assignment.ListAsync(Q, PageSize, ct);

    public async Task<IActionResult> OnPostAsync(Guid personId, string[]? roles, CancellationToken ct)
    {
        try
        {
            var person = await assignment.SetRolesAsync(personId, roles ?? [], ct);
            TempData["Flash"] = roles is { Length: > 0 }
                ? $"{person.DisplayName} now has the roles {string.Join(", ", Account.Roles.All.Where(roles.Contains))}."
                : $"{person.DisplayName} now has no role.";
            return RedirectToPage(new { q = Q });
        }
        catch (RoleAssignmentException ex)
        {
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            People = await assignment.ListAsync(Q, PageSize, ct);
            return Page();
        }
    }
}
