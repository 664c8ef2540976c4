using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Rotations.Web.Features.Account;

/// <summary>/Account/SetPassword?person=…&amp;token=…: the invitation link. The person chooses a first password and is signed in.</summary>
[AllowAnonymous]
public sealed class SetPasswordModel(PasswordLinks links, SignInManager<Person> signIn, ILogger<SetPasswordModel> logger) : PasswordLinkPage
{
    public override string SubmitLabel => "Set my password and sign in";

    public string DisplayName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync()
    {
        var person = await links.CheckInvitationAsync(PersonId, Token);
        if (person is null)
        {
            LinkInvalid = true;
            return Page();
        }
        (Email, DisplayName) = (person.Email!, person.DisplayName);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var person = await links.CheckInvitationAsync(PersonId, Token);
        if (person is null)
        {
            LinkInvalid = true;
            return Again();
        }
        (Email, DisplayName) = (person.Email!, person.DisplayName);
        if (!ModelState.IsValid) return Again();

        var result = await links.AcceptInvitationAsync(PersonId, Token, Input.NewPassword, ct);
        if (!result.Succeeded) return Refused(result);

        logger.LogInformation("Person {PersonId} accepted their invitation and chose a password", result.Person!.Id);
        await signIn.SignInAsync(result.Person, isPersistent: false);
        return LocalRedirect("/");
    }
}
