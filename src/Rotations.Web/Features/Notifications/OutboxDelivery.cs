namespace Rotations.Web.Features.Notifications;

/// <summary>What one delivery pass did.</summary>
public sealed record DeliveryResult(int Sent, int Retrying, int Failed, int Cancelled);

/// <summary>
/// Drains the email outbox: claims due rows, renders them with their composer, sends them, records the
/// outcome, and backs off on failure. Called by the outbox delivery job.
/// </summary>
public sealed class OutboxDelivery
{
    public Task<DeliveryResult> DeliverDueAsync(CancellationToken ct) =>
        throw new NotImplementedException("Outbox delivery is being built.");

    /// <summary>Puts a failed email back in the queue for an immediate attempt (the jobs page's retry).</summary>
    public Task RetryAsync(Guid emailId, CancellationToken ct) =>
        throw new NotImplementedException("Outbox delivery is being built.");
}
