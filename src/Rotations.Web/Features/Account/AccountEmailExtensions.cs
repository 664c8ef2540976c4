using Microsoft.AspNetCore.Identity;
using Rotations.Web.Features.Notifications;

namespace Rotations.Web.Features.Account;

public static class AccountEmailExtensions
{
    /// <summary>Invitations, password reset by email, their link tokens and composers, and email preferences.</summary>
    public static IdentityBuilder AddAccountEmails(this IdentityBuilder identity)
    {
        identity.AddTokenProvider<PasswordResetTokenProvider>(PasswordResetTokenProvider.ProviderName);
        identity.AddTokenProvider<InvitationTokenProvider>(InvitationTokenProvider.ProviderName);
        var services = identity.Services;
        services.Configure<IdentityOptions>(o => o.Tokens.PasswordResetTokenProvider = PasswordResetTokenProvider.ProviderName);
        services.AddOptions<LinkTokenOptions>();
        services.AddScoped<AccountEmails>();
        services.AddScoped<PasswordLinks>();
        services.AddScoped<EmailPreferencesService>();
        services.AddScoped<IEmailComposer, InvitationEmailComposer>();
        services.AddScoped<IEmailComposer, PasswordResetEmailComposer>();
        return identity;
    }

    public static void MapAccountEmailApi(this IEndpointRouteBuilder app) => EmailPreferencesApi.Map(app);
}
