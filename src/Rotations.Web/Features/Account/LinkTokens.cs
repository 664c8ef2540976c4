using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Rotations.Web.Features.Account;

/// <summary>How long the links in account emails work.</summary>
public sealed class LinkTokenOptions
{
    /// <summary>An invitation waits for people who are away for a while.</summary>
    public TimeSpan InvitationLifespan { get; set; } = TimeSpan.FromDays(7);

    /// <summary>A reset link is used at once or not at all; a short life limits what a leaked mailbox gives away.</summary>
    public TimeSpan ResetLifespan { get; set; } = TimeSpan.FromHours(2);
}

/// <summary>
/// The tokens in invitation and reset links: Identity's DataProtectorTokenProvider design (a payload of
/// creation time, person, purpose and a binding value, sealed with the app's data-protection keys, which
/// every node shares), with two differences. Time comes from the app's <see cref="TimeProvider"/>:
/// DataProtectorTokenProvider reads DateTimeOffset.UtcNow (checked in ASP.NET Core 10.0.12), so expiry could
/// not be tested without waiting. And each kind of link chooses what it is bound to (see the subclasses).
/// Nothing is stored: a token is made when the email is sent and checked when the link is used.
/// </summary>
public abstract class LinkTokenProvider(IDataProtectionProvider protection, TimeProvider clock, string name)
    : IUserTwoFactorTokenProvider<Person>
{
    private const byte FormatVersion = 1;
    private readonly IDataProtector protector = protection.CreateProtector("Rotations.LinkToken", name);

    protected abstract TimeSpan Lifespan { get; }

    /// <summary>The value the token carries and must still match when it is used: when it changes, the link dies.</summary>
    protected abstract Task<string> BindingAsync(UserManager<Person> manager, Person person);

    public async Task<string> GenerateAsync(string purpose, UserManager<Person> manager, Person person)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            writer.Write(FormatVersion);
            writer.Write(clock.GetUtcNow().UtcTicks);
            writer.Write(await manager.GetUserIdAsync(person));
            writer.Write(purpose);
            writer.Write(await BindingAsync(manager, person));
        }
        return WebEncoders.Base64UrlEncode(protector.Protect(buffer.ToArray()));
    }

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<Person> manager, Person person)
    {
        byte[] payload;
        try
        {
            payload = protector.Unprotect(WebEncoders.Base64UrlDecode(token));
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return false;
        }
        try
        {
            using var reader = new BinaryReader(new MemoryStream(payload));
            if (reader.ReadByte() != FormatVersion) return false;
            var created = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
            if (created + Lifespan < clock.GetUtcNow()) return false;
            if (reader.ReadString() != await manager.GetUserIdAsync(person)) return false;
            if (reader.ReadString() != purpose) return false;
            var binding = reader.ReadString();
            if (reader.BaseStream.Position != reader.BaseStream.Length) return false;
            return binding == await BindingAsync(manager, person);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException)
        {
            return false;
        }
    }

    public Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<Person> manager, Person person) => Task.FromResult(false);
}

/// <summary>
/// Reset links, used through UserManager.GeneratePasswordResetTokenAsync and ResetPasswordAsync. Bound to the
/// security stamp, as Identity's own are: the reset changes the stamp, so a link works once, and so does any
/// later password change or deactivation.
/// </summary>
public sealed class PasswordResetTokenProvider(IDataProtectionProvider protection, TimeProvider clock, IOptions<LinkTokenOptions> options)
    : LinkTokenProvider(protection, clock, ProviderName)
{
    public const string ProviderName = "RotationsPasswordReset";

    protected override TimeSpan Lifespan => options.Value.ResetLifespan;

    protected override async Task<string> BindingAsync(UserManager<Person> manager, Person person) =>
        await manager.GetSecurityStampAsync(person);
}

/// <summary>
/// Invitation links. Bound to the email address and to "no password yet" rather than to the security stamp:
/// HR editing a new person's roles rotates the stamp, and that must not silently break a week-long invitation.
/// Setting the password uses the link up; a changed address (an invitation sent to a typo) kills it.
/// </summary>
public sealed class InvitationTokenProvider(IDataProtectionProvider protection, TimeProvider clock, IOptions<LinkTokenOptions> options)
    : LinkTokenProvider(protection, clock, ProviderName)
{
    public const string ProviderName = "RotationsInvitation";
    public const string Purpose = "SetFirstPassword";

    protected override TimeSpan Lifespan => options.Value.InvitationLifespan;

    protected override async Task<string> BindingAsync(UserManager<Person> manager, Person person) =>
        $"{manager.NormalizeEmail(await manager.GetEmailAsync(person))}\n{(await manager.HasPasswordAsync(person) ? "password" : "none")}";
}
