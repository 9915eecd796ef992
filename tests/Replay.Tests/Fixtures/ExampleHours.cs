namespace ListeningTogether.Replay.Tests.Fixtures;

/// <summary>
/// Two hours of the example plays: 09:00 as in plays.jsonl and the same records an hour later (their playedAt
/// moved to 10:00), so the 10 o'clock co-plays are the expected ones an hour later.
/// </summary>
public static class ExampleHours
{
    public const string NineOClock = "\"playedAt\":\"2026-11-26T09:";
    public const string TenOClock = "\"playedAt\":\"2026-11-26T10:";

    /// <summary>The example lines moved to 10:00 (every example record has a playedAt string of 09:00).</summary>
    public static string[] TenOClockLines() =>
        [.. File.ReadAllLines(TestData.Example("plays.jsonl")).Select(l => l.Replace(NineOClock, TenOClock, StringComparison.Ordinal))];

    /// <summary>Writes <c>hour-09.jsonl</c> and <c>hour-10.jsonl</c> into <paramref name="folder"/>; returns both paths.</summary>
    public static (string Nine, string Ten) Write(string folder)
    {
        Directory.CreateDirectory(folder);
        string nine = Path.Combine(folder, "hour-09.jsonl");
        string ten = Path.Combine(folder, "hour-10.jsonl");
        File.Copy(TestData.Example("plays.jsonl"), nine);
        File.WriteAllLines(ten, TenOClockLines());
        return (nine, ten);
    }
}
