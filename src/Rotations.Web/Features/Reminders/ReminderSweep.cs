namespace Rotations.Web.Features.Reminders;

/// <summary>What one sweep did.</summary>
public sealed record SweepResult(int Created, int Dropped, int Emails);

/// <summary>
/// Decides from the database which reminders are due now, and creates each one once (inbox row, and an
/// outbox row when the recipient wants the kind by email). Called every minute by the sweep job.
/// </summary>
public sealed class ReminderSweep
{
    public Task<SweepResult> RunAsync(CancellationToken ct) =>
        throw new NotImplementedException("The sweep is being built.");
}
