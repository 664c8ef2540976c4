using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Rotations.Web.Features.Account;

/// <summary>
/// /Account/ForgotPassword: an email address in, the same answer out whether or not it has an account, so the
/// form cannot be used to find out who does.
/// </summary>
[AllowAnonymous]
public sealed class ForgotPasswordModel(AccountEmails emails, IOptions<LinkTokenOptions> options) : PageModel
{
    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter your email address.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address, like name@company.com.")]
        [MaxLength(256, ErrorMessage = "An email address has at most 256 characters.")]
        [Display(Name = "Email")]
        public string Email { get; set; } = "";
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public bool Sent { get; private set; }

    public string ResetLifespan => AccountEmailText.Describe(options.Value.ResetLifespan);

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await emails.RequestPasswordResetAsync(Input.Email, ct);
        Sent = true;
        return Page();
    }
}
