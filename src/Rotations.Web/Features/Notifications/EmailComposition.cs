namespace Rotations.Web.Features.Notifications;

/// <summary>An email ready to send: subject, plain text and HTML.</summary>
public sealed record ComposedEmail(string Subject, string Text, string Html);

/// <summary>
/// Renders one outbox row at send time, from the current data. Each <see cref="EmailKind"/> has one
/// composer. Null means the email is no longer wanted (the stint was cancelled, the reflection
/// submitted, the invitation already accepted): the delivery marks it Cancelled instead of sending.
/// </summary>
public interface IEmailComposer
{
    EmailKind Handles { get; }
    Task<ComposedEmail?> ComposeAsync(EmailMessage message, CancellationToken ct);
}
