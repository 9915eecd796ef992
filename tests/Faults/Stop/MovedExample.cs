using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ListeningTogether.EndToEnd.Fixtures;

namespace ListeningTogether.Faults.Tests.Stop;

/// <summary>
/// tests/data/coplay-examples (3,000 plays of one minute on 60 tracks, dirty rows included, and the co-plays replay
/// gives for them) moved by whole seconds so that the minute ends at the current second: live plays for a streaming
/// stage. Windows are aligned to the epoch, so a move by whole seconds moves every window with its plays and changes
/// nothing else: the expected co-plays are the example's, moved alike.
/// </summary>
public sealed partial class MovedExample
{
    private static readonly DateTimeOffset ExampleStart = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    private MovedExample(TimeSpan move)
    {
        End = ExampleStart.AddMinutes(1).Add(move);
        Plays = [.. File.ReadLines(Lt.Examples("plays.jsonl"))
            .Select(line => Move(PlayedAt(), line, move))
            .OrderBy(line => PlayedAt().Match(line).Groups["at"].Value, StringComparer.Ordinal)];
        CoPlays = [.. File.ReadLines(Lt.Examples("expected.jsonl")).Select(line => Move(WindowStart(), line, move))];
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Lt.Examples("summary.json")));
        EligibleRecords = summary.RootElement.GetProperty("eligibleRecords").GetInt64();
        EligiblePlays = summary.RootElement.GetProperty("eligiblePlays").GetInt64();
    }

    /// <summary>The plays, in order of playedAt, the last one in the second before now.</summary>
    public IReadOnlyList<string> Plays { get; }

    /// <summary>Every co-play of the moved plays as a results JSONL row, in DESIGN.md's order.</summary>
    public IReadOnlyList<string> CoPlays { get; }

    /// <summary>Plays that pass every filter (duplicates included): what a stage holds until their windows are emitted.</summary>
    public long EligibleRecords { get; }

    /// <summary>Distinct eligible plays, by (window, track, event id): duplicates of a play count once.</summary>
    public long EligiblePlays { get; }

    /// <summary>The end of the example's minute: the current second when it was moved.</summary>
    public DateTimeOffset End { get; }

    public static MovedExample EndingNow()
    {
        long thisSecond = DateTimeOffset.UtcNow.ToUnixTimeSeconds() * 1000;
        return new MovedExample(TimeSpan.FromMilliseconds(thisSecond - 60_000 - ExampleStart.ToUnixTimeMilliseconds()));
    }

    /// <summary>A co-play row as the match stage publishes it on the results topic: its JSONL object with <c>"v":1</c>.</summary>
    public static string ResultsMessage(string row) => "{\"v\":1," + row[1..];

    private static string Move(Regex field, string line, TimeSpan move) =>
        field.Replace(line, m => m.Value.Replace(
            m.Groups["at"].Value,
            DateTimeOffset.Parse(m.Groups["at"].Value, CultureInfo.InvariantCulture).Add(move).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            StringComparison.Ordinal));

    [GeneratedRegex("\"playedAt\":\"(?<at>[^\"]+)\"")]
    private static partial Regex PlayedAt();

    [GeneratedRegex("\"windowStart\":\"(?<at>[^\"]+)\"")]
    private static partial Regex WindowStart();
}
