using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Rotations.Web.Features.Account;

/// <summary>/Account/ResetPassword?person=…&amp;token=…: the link from "forgot password". A new password, then the sign-in page.</summary>
[AllowAnonymous]
public sealed class ResetPasswordModel(PasswordLinks links, ILogger<ResetPasswordModel> logger) : PasswordLinkPage
{
    public override string SubmitLabel => "Set my new password";

    public async Task<IActionResult> OnGetAsync()
    {
        var person = await links.CheckResetAsync(PersonId, Token);
        if (person is null)
        {
            LinkInvalid = true;
            return Page();
        }
        Email = person.Email!;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var person = await links.CheckResetAsync(PersonId, Token);
        if (person is null)
        {
            LinkInvalid = true;
            return Again();
        }
        Email = person.Email!;
        if (!ModelState.IsValid) return Again();

        var result = await links.ResetAsync(PersonId, Token, Input.NewPassword, ct);
        if (!result.Succeeded) return Refused(result);

        // Not signed in here: signing in with the new password is the proof that it is the one they meant.
        logger.LogInformation("Person {PersonId} reset their password with an emailed link", result.Person!.Id);
        TempData["Flash"] = "Your password has been changed, and every other session of yours ends within a minute. Sign in with your new password.";
        return RedirectToPage("/Account/Login");
    }
}
