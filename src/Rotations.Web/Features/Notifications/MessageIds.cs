using Rotations.Web.Infrastructure.Email;

namespace Rotations.Web.Features.Notifications;

/// <summary>
/// The right-hand side of every Message-ID we mint: the host of the public base URL, so ids are
/// globally unique per installation and stable for the life of an outbox row.
/// </summary>
public sealed class MessageIds(EmailSettings settings)
{
    public string Domain { get; } =
        Uri.TryCreate(settings.PublicUrl, UriKind.Absolute, out var url) && url.Host.Length > 0 ? url.Host : "rotations.local";

    public string For(Guid emailId) => EmailMessage.NewMessageId(emailId, Domain);
}
