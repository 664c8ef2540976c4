namespace Rotations.Web.Features.Reminders;

/// <summary>
/// The HR digest: on the digest day, at each HR person's local send hour, one notification with the
/// stints starting next week, the overdue reflections and the capacity clashes. Called hourly by its job.
/// </summary>
public sealed class WeeklyDigest
{
    public Task<SweepResult> RunAsync(CancellationToken ct) =>
        throw new NotImplementedException("The digest is being built.");
}
