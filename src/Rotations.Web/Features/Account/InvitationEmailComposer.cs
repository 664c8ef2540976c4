using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Rotations.Web.Features.Notifications;

namespace Rotations.Web.Features.Account;

/// <summary>
/// The invitation to set a first password, made when it is sent: the token is generated now and stored nowhere.
/// Cancelled when it no longer applies: the person has a password already, is deactivated, or has another address.
/// </summary>
public sealed class InvitationEmailComposer(UserManager<Person> people, Notifications.EmailLinks links, IOptions<LinkTokenOptions> options)
    : IEmailComposer
{
    public EmailKind Handles => EmailKind.Invitation;

    public async Task<ComposedEmail?> ComposeAsync(EmailMessage message, CancellationToken ct)
    {
        var person = await people.FindByIdAsync(message.RecipientId.ToString());
        if (person is not { IsActive: true } || await people.HasPasswordAsync(person)
            || people.NormalizeEmail(person.Email) != people.NormalizeEmail(message.ToAddress))
            return null;

        var token = await people.GenerateUserTokenAsync(person, InvitationTokenProvider.ProviderName, InvitationTokenProvider.Purpose);
        var link = links.Absolute($"/Account/SetPassword?person={person.Id}&token={Uri.EscapeDataString(token)}");
        const string subject = "Your Rotations account: choose a password";
        var greeting = $"Hello {person.DisplayName},";
        string[] before =
        [
            $"Your programme coordinator has opened a Rotations account for you ({person.Email}). Rotations schedules the tours of duty " +
            "of the CX leadership programme, reminds you when a stint is coming, and keeps your reflections and feedback.",
            "To sign in, choose your password with this link:",
        ];
        string[] after =
        [
            $"The link works once, for {AccountEmailText.Describe(options.Value.InvitationLifespan)}. If it has expired, use " +
            "“Forgot your password?” on the sign-in page, or ask your coordinator to send the invitation again.",
            "If you did not expect this email, you can ignore it.",
        ];
        return new ComposedEmail(subject,
            AccountEmailText.Text(greeting, before, link, after),
            AccountEmailText.Html(subject, greeting, before, link, "Choose your password", after));
    }
}
