using System.ComponentModel.DataAnnotations;

namespace Rotations.Web.Features.Account;

/// <summary>The two password fields of the invitation and reset pages; the rules themselves are Identity's (12+ characters).</summary>
public sealed class NewPasswordInput
{
    [Required(ErrorMessage = "Choose a password.")]
    [Display(Name = "New password")]
    public string NewPassword { get; set; } = "";

    [Required(ErrorMessage = "Repeat the password.")]
    [Compare(nameof(NewPassword), ErrorMessage = "The two passwords are not the same.")]
    [Display(Name = "Repeat the password")]
    public string ConfirmPassword { get; set; } = "";
}
