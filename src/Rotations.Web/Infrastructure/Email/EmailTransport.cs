using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;

namespace Rotations.Web.Infrastructure.Email;

/// <summary>One email as it leaves the application. The Message-ID comes from the outbox row, so a resend carries the same one.</summary>
public sealed record OutgoingEmail(string MessageId, string To, string Subject, string Text, string Html);

/// <summary>
/// Hands an email to whatever carries it on. Throws when it could not; the outbox records the failure and
/// retries. Chosen once from <see cref="EmailSettings"/>: SMTP, or the pickup folder.
/// </summary>
public interface IEmailTransport
{
    Task SendAsync(OutgoingEmail email, CancellationToken ct);
}

/// <summary>Builds the MIME message both transports send: multipart/alternative, plain text first, then HTML.</summary>
internal static class MailMessages
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public static MailMessage Build(OutgoingEmail email, MailAddress from)
    {
        var message = new MailMessage(from, new MailAddress(email.To))
        {
            Subject = email.Subject,
            SubjectEncoding = Utf8,
            HeadersEncoding = Utf8,
        };
        // System.Net.Mail keeps a Message-ID given as a header and adds none of its own (a test reads it back
        // from a real SMTP server and from a pickup file), so receivers can de-duplicate a resend.
        message.Headers.Add("Message-ID", email.MessageId);
        // Mail lines end in CRLF; a bare LF would travel as an encoded "=0A" and the lines run together.
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(email.Text.ReplaceLineEndings("\r\n"), Utf8, MediaTypeNames.Text.Plain));
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(email.Html.ReplaceLineEndings("\r\n"), Utf8, MediaTypeNames.Text.Html));
        return message;
    }
}

/// <summary>Sends through an SMTP server (STARTTLS when ROTATIONS_SMTP_TLS is true, a login when a user is set).</summary>
public sealed class SmtpEmailTransport(EmailSettings settings) : IEmailTransport
{
    public async Task SendAsync(OutgoingEmail email, CancellationToken ct)
    {
        using var message = MailMessages.Build(email, settings.From);
        // One client per email: SmtpClient is not safe to share between concurrent sends, and a connection
        // per message keeps a broken one from poisoning the rest of a batch.
        using var client = new SmtpClient(settings.SmtpHost, settings.SmtpPort)
        {
            EnableSsl = settings.SmtpTls,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            UseDefaultCredentials = false,
        };
        if (settings.SmtpUser is { } user) client.Credentials = new NetworkCredential(user, settings.SmtpPassword);
        await client.SendMailAsync(message, ct);
    }
}

/// <summary>Writes each email as an .eml file in the pickup folder: the local default, readable by any mail program.</summary>
public sealed class PickupDirectoryEmailTransport(EmailSettings settings) : IEmailTransport
{
    public async Task SendAsync(OutgoingEmail email, CancellationToken ct)
    {
        Directory.CreateDirectory(settings.MailDirectory);
        using var message = MailMessages.Build(email, settings.From);
        using var client = new SmtpClient
        {
            DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory,
            PickupDirectoryLocation = settings.MailDirectory,
        };
        await client.SendMailAsync(message, ct);
    }
}
