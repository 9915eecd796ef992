using ListeningTogether.EndToEnd.Fixtures;

namespace ListeningTogether.Faults.Tests.Stop;

/// <summary>Settings the stop and kill tests give their stages, beside the topics.</summary>
public static class StageSettings
{
    /// <summary>The shortest ack deadline Pub/Sub allows: what a killed stage held comes back after it.</summary>
    public const int AckDeadlineSeconds = 10;

    /// <summary>
    /// Lateness far past the example's minute: no window closes by the watermark while a test runs, so every window
    /// of the example is open until the stage has been quiet for its idle flush.
    /// </summary>
    public const string HoldWindows = "--Pipeline:AllowedLatenessMs=120000";

    /// <summary>No idle flush while a test looks at the stage: the windows stay open until the stage is stopped.</summary>
    public const string NeverFlush = "--Pipeline:IdleFlushMs=120000";

    /// <summary>
    /// A stage that received every play of the example, or every one that came back, emits the windows once it has
    /// been quiet this long. Plays handed back at a stop come back within a second.
    /// </summary>
    public const string FlushWhenQuiet = "--Pipeline:IdleFlushMs=5000";

    /// <summary>No built-in traffic, and the real City database the example's co-plays were computed with.</summary>
    public static IReadOnlyList<string> Common() => ["--Simulator:Enabled=false", $"--Geo:CityDb={Lt.RequireRealCityDb()}"];
}
