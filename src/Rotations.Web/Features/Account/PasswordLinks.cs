using Microsoft.AspNetCore.Identity;
using Rotations.Web.Features.Audit;
using Rotations.Web.Infrastructure.Database;

namespace Rotations.Web.Features.Account;

/// <summary>What using a link did: the password was set, the link no longer works, or the password was refused.</summary>
public sealed record PasswordLinkResult(Person? Person, bool LinkInvalid, IReadOnlyList<string> PasswordErrors)
{
    public bool Succeeded => Person is not null && !LinkInvalid && PasswordErrors.Count == 0;

    public static PasswordLinkResult Invalid { get; } = new(null, true, []);
}

/// <summary>
/// The other end of the emailed links: the first password from an invitation, a new one from a reset link.
/// Each is one transaction with its audit entry. A link works once: setting the password changes what its
/// token is bound to (see <see cref="LinkTokenProvider"/>), and two uses at the same moment meet Identity's
/// concurrency stamp, so only one of them writes.
/// </summary>
public sealed class PasswordLinks(RotationsDbContext db, UserManager<Person> people, TimeProvider clock, AuditActor actor)
{
    public const string LinkInvalidMessage = "This link has expired or was already used. Ask for a new one.";

    /// <summary>The person the invitation link is for, or null when it does not work (any more).</summary>
    public async Task<Person?> CheckInvitationAsync(Guid personId, string? token)
    {
        var person = await FindActiveAsync(personId, token);
        return person is not null && await people.VerifyUserTokenAsync(person, InvitationTokenProvider.ProviderName, InvitationTokenProvider.Purpose, token!)
            ? person : null;
    }

    /// <summary>The person the reset link is for, or null when it does not work (any more).</summary>
    public async Task<Person?> CheckResetAsync(Guid personId, string? token)
    {
        var person = await FindActiveAsync(personId, token);
        return person is not null && await people.VerifyUserTokenAsync(person, people.Options.Tokens.PasswordResetTokenProvider,
            UserManager<Person>.ResetPasswordTokenPurpose, token!) ? person : null;
    }

    /// <summary>Sets the first password of an invited person; this also confirms their email address.</summary>
    public Task<PasswordLinkResult> AcceptInvitationAsync(Guid personId, string? token, string password, CancellationToken ct = default) =>
        InTransactionAsync(async () =>
        {
            var person = await CheckInvitationAsync(personId, token);
            if (person is null) return PasswordLinkResult.Invalid;
            // Saved by AddPasswordAsync's own update, with the password.
            person.EmailConfirmed = true;
            var result = await people.AddPasswordAsync(person, password);
            return await FinishAsync(person, result, "PasswordSet", ct);
        }, ct);

    /// <summary>
    /// Sets a new password from a reset link. It also lifts a lockout: the lockout slows down guessing of the old
    /// password, and whoever holds the link has shown they read the person's email, which is what a reset trusts.
    /// </summary>
    public Task<PasswordLinkResult> ResetAsync(Guid personId, string? token, string password, CancellationToken ct = default) =>
        InTransactionAsync(async () =>
        {
            var person = await FindActiveAsync(personId, token);
            if (person is null) return PasswordLinkResult.Invalid;
            // Saved by ResetPasswordAsync's own update, only when the token and the password pass.
            person.LockoutEnd = null;
            person.AccessFailedCount = 0;
            var result = await people.ResetPasswordAsync(person, token!, password);
            return await FinishAsync(person, result, "PasswordReset", ct);
        }, ct);

    private async Task<PasswordLinkResult> FinishAsync(Person person, IdentityResult result, string action, CancellationToken ct)
    {
        if (!result.Succeeded)
        {
            // A concurrency failure is the same link used twice at once; an invalid token, a link that no longer works.
            if (result.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.InvalidToken) or nameof(IdentityErrorDescriber.ConcurrencyFailure)
                    or nameof(IdentityErrorDescriber.UserAlreadyHasPassword)))
                return PasswordLinkResult.Invalid;
            return new PasswordLinkResult(null, false, result.Errors.Select(e => e.Description).ToList());
        }
        db.AuditEntries.Add(AccountAudit.Entry(person, action, person.Id, person.DisplayName, clock.GetUtcNow(), actor.Address()));
        await db.SaveChangesAsync(ct);
        return new PasswordLinkResult(person, false, []);
    }

    private async Task<Person?> FindActiveAsync(Guid personId, string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2000) return null;
        var person = await people.FindByIdAsync(personId.ToString());
        return person is { IsActive: true } ? person : null;
    }

    private async Task<PasswordLinkResult> InTransactionAsync(Func<Task<PasswordLinkResult>> work, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var result = await work();
            if (result.Succeeded) await tx.CommitAsync(ct);
            else db.ChangeTracker.Clear();
            return result;
        }
        catch
        {
            db.ChangeTracker.Clear();
            throw;
        }
    }
}
