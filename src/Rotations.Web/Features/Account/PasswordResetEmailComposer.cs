using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Rotations.Web.Features.Notifications;

namespace Rotations.Web.Features.Account;

/// <summary>
/// The "forgot password" link, made when it is sent: the token is generated now and stored nowhere. Cancelled for a
/// person who has been deactivated, has no password to reset (they get invitations), or has another address now.
/// </summary>
public sealed class PasswordResetEmailComposer(UserManager<Person> people, Notifications.EmailLinks links, IOptions<LinkTokenOptions> options)
    : IEmailComposer
{
    public EmailKind Handles => EmailKind.PasswordReset;

    public async Task<ComposedEmail?> ComposeAsync(EmailMessage message, CancellationToken ct)
    {
        var person = await people.FindByIdAsync(message.RecipientId.ToString());
        if (person is not { IsActive: true } || !await people.HasPasswordAsync(person)
            || people.NormalizeEmail(person.Email) != people.NormalizeEmail(message.ToAddress))
            return null;

        var token = await people.GeneratePasswordResetTokenAsync(person);
        var link = links.Absolute($"/Account/ResetPassword?person={person.Id}&token={Uri.EscapeDataString(token)}");
        const string subject = "Reset your Rotations password";
        var greeting = $"Hello {person.DisplayName},";
        string[] before =
        [
            $"Someone asked to reset the password of your Rotations account ({person.Email}). If it was you, choose a new password with this link:",
        ];
        string[] after =
        [
            $"The link works once, for {AccountEmailText.Describe(options.Value.ResetLifespan)}. Your current password keeps working until you choose a new one.",
            "If you did not ask for this, you can ignore this email: nothing changes.",
        ];
        return new ComposedEmail(subject,
            AccountEmailText.Text(greeting, before, link, after),
            AccountEmailText.Html(subject, greeting, before, link, "Choose a new password", after));
    }
}
