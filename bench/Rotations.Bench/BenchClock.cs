namespace Rotations.Bench;

/// <summary>A clock that stands still at the instant the benchmark sets: sweeps at chosen moments, repeatable figures.</summary>
public sealed class BenchClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => Now;
}
