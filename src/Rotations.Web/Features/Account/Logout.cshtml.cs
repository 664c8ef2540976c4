using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Rotations.Web.Features.Account;

/// <summary>Signing out changes state, so it happens on POST only; GET shows a confirmation.</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class LogoutModel(SignInManager<Person> signIn) : PageModel
{
    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        TempData["Flash"] = "You are signed out.";
        return Redirect("/Account/Login");
    }
}
