using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Rotations.Web.Features.Account;

/// <summary>What the invitation and reset pages share: the link's person and token, and the two password fields.</summary>
public abstract class PasswordLinkPage : PageModel
{
    [BindProperty(Name = "person", SupportsGet = true)]
    public Guid PersonId { get; set; }

    [BindProperty(Name = "token", SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public NewPasswordInput Input { get; set; } = new();

    /// <summary>The address the link is for, shown so that people know which account they are setting.</summary>
    public string Email { get; protected set; } = "";

    /// <summary>True when the link has expired, was used, or is not one of ours.</summary>
    public bool LinkInvalid { get; protected set; }

    public abstract string SubmitLabel { get; }

    /// <summary>Shows the page again with the problems beside the password field; passwords are never sent back.</summary>
    protected IActionResult Refused(PasswordLinkResult result)
    {
        if (result.LinkInvalid) LinkInvalid = true;
        foreach (var error in result.PasswordErrors)
            ModelState.AddModelError($"{nameof(Input)}.{nameof(NewPasswordInput.NewPassword)}", error);
        return Again();
    }

    protected IActionResult Again()
    {
        Input = new NewPasswordInput();
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
