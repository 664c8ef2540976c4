using Rotations.Web.Infrastructure.Email;

namespace Rotations.Web.Features.Notifications;

/// <summary>
/// Every Message-ID we mint: the outbox row's id at the sender's domain (ROTATIONS_MAIL_FROM), so ids
/// are unique per installation and stable for the life of the row, across retries.
/// </summary>
public sealed class MessageIds(EmailSettings settings)
{
    public string Domain { get; } = settings.MessageIdDomain;

    public string For(Guid emailId) => EmailMessage.NewMessageId(emailId, Domain);
}
