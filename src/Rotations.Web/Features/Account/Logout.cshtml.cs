using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Rotations.Web.Features.Account;

/// <summary>Signing out changes state, so it happens on POST only; GET shows a confirmation.</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class LogoutModel(SignInManager<Person> signIn, SignInGuard guard) : PageModel
{
    public void OnGet() { }

    /// <summary>Ends the session: the cookie is cleared and its session row deleted, so even a copy of it no longer works.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var person = await signIn.UserManager.GetUserAsync(User);
        await signIn.SignOutAsync();
        if (person is not null) await guard.RecordSignOutAsync(person, ct);
        TempData["Flash"] = "You are signed out.";
        return Redirect("/Account/Login");
    }
}
