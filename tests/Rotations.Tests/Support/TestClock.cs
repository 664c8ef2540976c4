namespace Rotations.Tests.Support;

/// <summary>Real time plus an offset the test moves forward (Microsoft's testing TimeProvider does not restore here).</summary>
public sealed class TestClock : TimeProvider
{
    private TimeSpan offset;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;

    public void Advance(TimeSpan by) => offset += by;

    /// <summary>Moves the clock to <paramref name="instant"/>; from there it runs on in real time.</summary>
    public void Set(DateTimeOffset instant) => offset = instant - System.GetUtcNow();
}
