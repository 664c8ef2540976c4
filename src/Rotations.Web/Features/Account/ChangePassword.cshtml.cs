using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Rotations.Web.Features.Account;

[Authorize(Policy = Policies.SignedIn)]
public sealed class ChangePasswordModel(UserManager<Person> people, SignInManager<Person> signIn) : PageModel
{
    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter your current password.")]
        [Display(Name = "Current password")]
        public string CurrentPassword { get; set; } = "";

        [Required(ErrorMessage = "Enter a new password.")]
        [Display(Name = "New password")]
        public string NewPassword { get; set; } = "";

        [Required(ErrorMessage = "Repeat the new password.")]
        [Compare(nameof(NewPassword), ErrorMessage = "The two new passwords are not the same.")]
        [Display(Name = "Repeat the new password")]
        public string ConfirmPassword { get; set; } = "";
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public bool Saved { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        var person = await people.GetUserAsync(User);
        if (person is null) return Challenge();

        var result = await people.ChangePasswordAsync(person, Input.CurrentPassword, Input.NewPassword);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                var field = error.Code == nameof(IdentityErrorDescriber.PasswordMismatch)
                    ? $"{nameof(Input)}.{nameof(InputModel.CurrentPassword)}"
                    : $"{nameof(Input)}.{nameof(InputModel.NewPassword)}";
                ModelState.AddModelError(field, error.Code == nameof(IdentityErrorDescriber.PasswordMismatch)
                    ? "The current password is not right." : error.Description);
            }
            return Page();
        }

        // The new security stamp signs out every other session within a minute; keep this one.
        await signIn.RefreshSignInAsync(person);
        Saved = true;
        ModelState.Clear();
        Input = new InputModel();
        return Page();
    }
}
