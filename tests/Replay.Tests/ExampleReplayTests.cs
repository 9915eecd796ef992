using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ListeningTogether.Replay.Tests.Fixtures;

namespace ListeningTogether.Replay.Tests;

/// <summary>
/// The shared co-play examples (computed by an independent SQL implementation) replayed in-process with the real
/// GeoLite2 City database: exact co-plays and counts for any encoding, row order, file split and worker count.
/// </summary>
[Collection(RealCityDatabaseCollection.Name)]
public sealed class ExampleReplayTests(RealCityDatabaseFixture database) : IDisposable
{
    private static readonly string[] BatchReasons =
    [
        "malformed", "invalid_event_id", "invalid_track_id", "invalid_played_at", "private_session", "ip_missing",
        "ip_invalid", "ip_not_public", "ip_anonymous", "geo_no_city", "geo_inaccurate",
    ];

    private static readonly string[] ComparedSummaryKeys =
    [
        "inputRecords", "eligibleRecords", "eligiblePlays", "duplicateRecords", "ineligible", "coPlays", "settings", "cityDatabase",
    ];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task GivenTheExamplePlays_WhenReplayed_ThenCoPlaysJsonlIsByteIdenticalToExpected()
    {
        string output = _temp.Combine("out");

        await Replays.RunAsync([TestData.Example("plays.jsonl")], output, database.Cities);

        AssertSameBytes(TestData.Example("expected.jsonl"), Path.Combine(output, "coplays.jsonl"));
    }

    [Fact]
    public async Task GivenTheExamplePlays_WhenReplayed_ThenSummaryCountsEqualTheExampleSummary()
    {
        string output = _temp.Combine("out");

        await Replays.RunAsync([TestData.Example("plays.jsonl")], output, database.Cities);

        AssertSummaryMatches(ReadJson(TestData.Example("summary.json")), ReadJson(Path.Combine(output, "summary.json")));
    }

    [Fact]
    public async Task GivenTheExamplePlays_WhenReplayed_ThenTheSummaryListsEveryIneligibleReasonInOrderWithZerosIncluded()
    {
        string output = _temp.Combine("out");

        await Replays.RunAsync([TestData.Example("plays.jsonl")], output, database.Cities);

        JsonObject ineligible = ReadJson(Path.Combine(output, "summary.json"))["ineligible"]!.AsObject();
        Assert.Equal(BatchReasons, ineligible.Select(p => p.Key));
        Assert.Equal(0, (long)ineligible["malformed"]!);
        Assert.Equal(0, (long)ineligible["invalid_played_at"]!);
        Assert.Equal(0, (long)ineligible["ip_invalid"]!);
        Assert.Equal(0, (long)ineligible["ip_anonymous"]!);
    }

    [Fact]
    public async Task GivenTheExamplePlays_WhenReplayed_ThenTheReturnedSummaryAddsUp()
    {
        string output = _temp.Combine("out");

        var summary = await Replays.RunAsync([TestData.Example("plays.jsonl")], output, database.Cities);

        Assert.Equal(3000, summary.InputRecords);
        Assert.Equal(summary.InputRecords, summary.EligibleRecords + summary.Ineligible.Values.Sum());
        Assert.Equal(summary.EligibleRecords, summary.EligiblePlays + summary.DuplicateRecords);
        Assert.Equal(60, summary.Windows);

        // Every example record has a playedAt string; the range spans the earliest and the latest.
        string[] playedAt = [.. File.ReadLines(TestData.Example("plays.jsonl")).Select(l => JsonNode.Parse(l)!["playedAt"]!.GetValue<string>()).Order(StringComparer.Ordinal)];
        Assert.Equal(DateTimeOffset.Parse(playedAt[0], CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), summary.FirstPlayedAtMs);
        Assert.Equal(DateTimeOffset.Parse(playedAt[^1], CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), summary.LastPlayedAtMs);
        var input = Assert.Single(summary.Inputs);
        Assert.Equal(new Output.Summary.InputFileSummary(TestData.Example("plays.jsonl"), 3000), input);
    }

    [Fact]
    public async Task GivenTheEdgeEncodedPlays_WhenReplayed_ThenCoPlaysJsonlIsByteIdenticalToExpected()
    {
        string output = _temp.Combine("out");

        await Replays.RunAsync([TestData.Example("plays-edge.jsonl")], output, database.Cities);

        AssertSameBytes(TestData.Example("expected.jsonl"), Path.Combine(output, "coplays.jsonl"));
    }

    [Fact]
    public async Task GivenTheEdgeEncodedPlays_WhenReplayed_ThenSummaryCountsAreTheExampleSummaryPlusTheEdgeRecords()
    {
        string output = _temp.Combine("out");
        JsonObject edge = ReadJson(TestData.Example("edge.json"));
        JsonObject expected = ReadJson(TestData.Example("summary.json"));
        Assert.Equal(27, (long)edge["addedRecords"]!);
        expected["inputRecords"] = (long)expected["inputRecords"]! + 27;
        JsonObject ineligible = expected["ineligible"]!.AsObject();
        foreach (var (reason, added) in edge["addedRecordsByReason"]!.AsObject())
        {
            ineligible[reason] = (long)ineligible[reason]! + (long)added!;
        }

        await Replays.RunAsync([TestData.Example("plays-edge.jsonl")], output, database.Cities);

        AssertSummaryMatches(expected, ReadJson(Path.Combine(output, "summary.json")));
    }

    [Fact]
    public async Task GivenTheExamplePlaysShuffledAndSplitIntoThreeFilesOfAFolder_WhenTheFolderIsReplayed_ThenCoPlaysAndCountsAreUnchanged()
    {
        string folder = _temp.Combine("split");
        string[] parts = WriteShuffledSplit(folder, seed: 20261126);
        string output = _temp.Combine("out");

        var summary = await Replays.RunAsync([folder], output, database.Cities);

        AssertSameBytes(TestData.Example("expected.jsonl"), Path.Combine(output, "coplays.jsonl"));
        AssertSummaryMatches(ReadJson(TestData.Example("summary.json")), ReadJson(Path.Combine(output, "summary.json")));
        Assert.Equal(
            parts.Order(StringComparer.Ordinal).Select(p => new Output.Summary.InputFileSummary(p, File.ReadAllLines(p).Length)),
            summary.Inputs);
    }

    [Fact]
    public async Task GivenTheSplitExamplePlays_WhenReplayedWithOneWorkerAndWithTwo_ThenBothOutputsAreByteIdentical()
    {
        string folder = _temp.Combine("split");
        WriteShuffledSplit(folder, seed: 7);
        string one = _temp.Combine("one-worker");
        string two = _temp.Combine("two-workers");

        await Replays.RunAsync([folder], one, database.Cities, workers: 1);
        await Replays.RunAsync([folder], two, database.Cities, workers: 2);

        AssertSameBytes(Path.Combine(one, "coplays.jsonl"), Path.Combine(two, "coplays.jsonl"));
        AssertSameBytes(Path.Combine(one, "summary.json"), Path.Combine(two, "summary.json"));
        AssertSameBytes(TestData.Example("expected.jsonl"), Path.Combine(two, "coplays.jsonl"));
    }

    [Fact]
    public async Task GivenTheExamplePlays_WhenReplayed_ThenOnlyCoPlaysParquetCoPlaysJsonlSummaryJsonAndReportHtmlAreLeftInTheOutputFolder()
    {
        string output = _temp.Combine("out");

        await Replays.RunAsync([TestData.Example("plays.jsonl")], output, database.Cities);

        Assert.Equal(["coplays.jsonl", "coplays.parquet", "report.html", "summary.json"], Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Shuffles plays.jsonl with a fixed seed into three files at different depths of <paramref name="folder"/>,
    /// beside files the replay must skip (names starting with _ or ., a non-JSONL file); returns the three paths.
    /// </summary>
    private static string[] WriteShuffledSplit(string folder, int seed)
    {
        string[] lines = File.ReadAllLines(TestData.Example("plays.jsonl"));
        new Random(seed).Shuffle(lines);
        string[] parts =
        [
            Path.Combine(folder, "part-1.jsonl"),
            Path.Combine(folder, "more", "part-2.jsonl"),
            Path.Combine(folder, "more", "deeper", "part-3.jsonl"),
        ];
        int size = (lines.Length + parts.Length - 1) / parts.Length;
        for (int i = 0; i < parts.Length; i++)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(parts[i])!);
            File.WriteAllText(parts[i], string.Concat(lines.Skip(i * size).Take(size).Select(l => l + "\n")));
        }

        // Each of these would add records (or co-plays) if it were read.
        string someOfThePlays = string.Concat(lines.Take(50).Select(l => l + "\n")) + "not json\n";
        File.WriteAllText(Path.Combine(folder, "_ignored.jsonl"), someOfThePlays);
        File.WriteAllText(Path.Combine(folder, ".hidden.jsonl"), someOfThePlays);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), someOfThePlays);
        Directory.CreateDirectory(Path.Combine(folder, "_staging"));
        File.WriteAllText(Path.Combine(folder, "_staging", "part-4.jsonl"), someOfThePlays);
        return parts;
    }

    private static JsonObject ReadJson(string path) => JsonNode.Parse(File.ReadAllText(path, Encoding.UTF8))!.AsObject();

    private static void AssertSummaryMatches(JsonObject expected, JsonObject actual)
    {
        foreach (string key in ComparedSummaryKeys)
        {
            Assert.True(
                JsonNode.DeepEquals(expected[key], actual[key]),
                $"summary.json \"{key}\": expected {expected[key]?.ToJsonString()}, actual {actual[key]?.ToJsonString()}");
        }
    }

    private static void AssertSameBytes(string expectedPath, string actualPath)
    {
        string[] expected = File.ReadAllLines(expectedPath);
        string[] actual = File.ReadAllLines(actualPath);

        // Line by line first, so a failure shows the first differing co-play.
        for (int i = 0; i < Math.Min(expected.Length, actual.Length); i++)
        {
            Assert.True(expected[i] == actual[i], $"line {i + 1} differs:\nexpected {expected[i]}\nactual   {actual[i]}");
        }

        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(File.ReadAllBytes(expectedPath), File.ReadAllBytes(actualPath));
    }
}
