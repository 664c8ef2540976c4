using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Audit;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Account;

/// <summary>What became of a request to invite someone again.</summary>
public enum InvitationOutcome
{
    Queued,
    /// <summary>They have a password already: an invitation would be no use; they can reset it instead.</summary>
    HasPassword,
    Deactivated,
}

/// <summary>
/// Puts invitations and reset emails into the outbox, in the caller's transaction. The rows carry no token and
/// no link: the composers make those when the email is sent, from the person as they are then.
/// </summary>
public sealed class AccountEmails(RotationsDbContext db, UserManager<Person> people, TimeProvider clock, Notifications.MessageIds messageIds, AuditActor actor,
    ILogger<AccountEmails> logger)
{
    /// <summary>At most one reset (or invitation) email per person in this time, however often the form is sent.</summary>
    public static readonly TimeSpan ResetWindow = TimeSpan.FromMinutes(5);

    /// <summary>Adds an invitation to the context; the caller's SaveChanges writes it together with the person.</summary>
    public EmailMessage QueueInvitation(Guid personId, string email) => Queue(EmailKind.Invitation, personId, email);

    /// <summary>HR asks for the invitation to go out again (the first was lost, or expired).</summary>
    /// <exception cref="NotFoundException">No such person.</exception>
    /// <exception cref="ForbiddenException">The person is an Admin and the caller is not.</exception>
    public async Task<InvitationOutcome> ResendInvitationAsync(Guid personId, ClaimsPrincipal caller, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var person = await LockAsync(personId, ct) ?? throw new NotFoundException("There is no such person.");
        var isAdmin = await db.UserRoles.AnyAsync(ur => ur.UserId == personId && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Admin), ct);
        if (isAdmin && !caller.IsInRole(Roles.Admin))
            throw new ForbiddenException($"{person.DisplayName} is an Admin: only an Admin can change their account.");
        if (!person.IsActive) return InvitationOutcome.Deactivated;
        if (person.PasswordHash is not null) return InvitationOutcome.HasPassword;

        QueueInvitation(person.Id, person.Email!);
        var (actorId, actorName) = actor.Current();
        db.AuditEntries.Add(AccountAudit.Entry(person, "InvitationSent", actorId, actorName, clock.GetUtcNow(), actor.Address()));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return InvitationOutcome.Queued;
    }

    /// <summary>
    /// "Forgot password": queues a reset link for an active person with a password, or the invitation again for
    /// one who never set a password; nothing for an unknown address or a deactivated person, and nothing while an
    /// email of either kind went to the person within <see cref="ResetWindow"/>. The caller shows the same answer
    /// whatever happened, so the form does not tell who has an account.
    /// </summary>
    public async Task RequestPasswordResetAsync(string email, CancellationToken ct = default)
    {
        var normalized = people.NormalizeEmail(email.Trim());
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Locked, so that two requests at once cannot both pass the window check.
        var person = await db.Users.FromSql($"select * from people where normalized_email = {normalized} for update").SingleOrDefaultAsync(ct);
        if (person is null || !person.IsActive)
        {
            logger.LogInformation("Password reset requested for an address with no active account: nothing sent");
            return;
        }
        var since = clock.GetUtcNow() - ResetWindow;
        var recent = await db.EmailOutbox.AnyAsync(m => m.RecipientId == person.Id && m.CreatedAt > since
            && (m.Kind == EmailKind.PasswordReset || m.Kind == EmailKind.Invitation), ct);
        if (recent)
        {
            logger.LogInformation("Password reset for person {PersonId} not sent: one went out less than {Minutes} minutes ago",
                person.Id, ResetWindow.TotalMinutes);
            return;
        }
        var kind = person.PasswordHash is null ? EmailKind.Invitation : EmailKind.PasswordReset;
        Queue(kind, person.Id, person.Email!);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Password reset requested for person {PersonId}: {Kind} email queued", person.Id, kind);
    }

    private EmailMessage Queue(EmailKind kind, Guid personId, string email)
    {
        var id = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        var message = new EmailMessage
        {
            Id = id, Kind = kind, RecipientId = personId, ToAddress = email,
            MessageId = messageIds.For(id),
            Status = EmailStatus.Pending, NextAttemptAt = now, CreatedAt = now,
        };
        db.EmailOutbox.Add(message);
        return message;
    }

    private Task<Person?> LockAsync(Guid id, CancellationToken ct) =>
        db.Users.FromSql($"select * from people where id = {id} for update").SingleOrDefaultAsync(ct);
}

/// <summary>Audit entries for account events that change no audited field a person could read (a password, an email sent).</summary>
internal static class AccountAudit
{
    public static AuditEntry Entry(Person person, string action, Guid? actorId, string actorName, DateTimeOffset at, string? address) => new()
    {
        Address = address,
        At = at, ActorId = actorId, ActorName = actorName,
        EntityType = nameof(Person), EntityKey = person.Id.ToString(),
        Label = string.Join(" · ", person.AuditIdentity().Where(s => s != "")),
        Action = action,
        Changes = JsonDocument.Parse("{}"),
    };
}
