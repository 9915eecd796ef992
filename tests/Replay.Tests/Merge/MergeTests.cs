using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ListeningTogether.Replay.Input;
using ListeningTogether.Replay.Merge;
using ListeningTogether.Replay.Output.Summary;
using ListeningTogether.Replay.Range;
using ListeningTogether.Replay.Report;
using ListeningTogether.Replay.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;
using Parquet;

namespace ListeningTogether.Replay.Tests.Merge;

/// <summary>
/// <c>merge</c> of hour outputs gives what one replay of all the hours gives, to the byte; and refuses outputs
/// that cannot be merged exactly, writing nothing.
/// </summary>
[Collection(RealCityDatabaseCollection.Name)]
public sealed class MergeTests(RealCityDatabaseFixture database) : IDisposable
{
    private static readonly DateTimeOffset Nine = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Replays hour 9 and hour 10 each on its own, and both together (the reference).</summary>
    private async Task<(string Nine, string Ten, string Both)> ReplayHoursAsync()
    {
        (string nine, string ten) = ExampleHours.Write(_temp.Combine("in"));
        string nineOut = _temp.Combine("hour-09"), tenOut = _temp.Combine("hour-10"), both = _temp.Combine("both");
        await Replays.RunAsync([nine], nineOut, database.Cities);
        await Replays.RunAsync([ten], tenOut, database.Cities);
        await Replays.RunAsync([nine, ten], both, database.Cities);
        return (nineOut, tenOut, both);
    }

    private static Task<ReplaySummary> MergeAsync(string output, params string[] inputs) => new MergeJob(new MergeRequest(inputs, output)).RunAsync();

    [Fact]
    public async Task GivenTwoHourOutputs_WhenMerged_ThenEveryFileIsByteIdenticalToOneReplayOfBothHours()
    {
        (string nine, string ten, string both) = await ReplayHoursAsync();
        string merged = _temp.Combine("merged");

        ReplaySummary summary = await MergeAsync(merged, nine, ten);

        FileAssert.SameBytes(Path.Combine(both, "coplays.jsonl"), Path.Combine(merged, "coplays.jsonl"));
        FileAssert.SameBytes(Path.Combine(both, "summary.json"), Path.Combine(merged, "summary.json"));
        FileAssert.SameBytes(Path.Combine(both, "report.html"), Path.Combine(merged, "report.html"));
        Assert.Equal(992, summary.CoPlays);
        Assert.Equal(6000, summary.InputRecords);
        Assert.Equal(["coplays.jsonl", "coplays.parquet", "report.html", "summary.json"], Directory.EnumerateFileSystemEntries(merged).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GivenTwoHourOutputsAndAPlaybackSite_WhenMerged_ThenTheReportLinksEveryMinuteOfBothHoursToThePlayback()
    {
        (string nineIn, string tenIn) = ExampleHours.Write(_temp.Combine("in"));
        string nine = _temp.Combine("hour-09"), ten = _temp.Combine("hour-10"), merged = _temp.Combine("merged");
        await Replays.RunAsync([nineIn], nine, database.Cities);
        await Replays.RunAsync([tenIn], ten, database.Cities);
        Assert.True(PlaybackSite.TryCreate("http://localhost:8080", out PlaybackSite? site, out _));

        ReplaySummary summary = await new MergeJob(new MergeRequest([nine, ten], merged) { PlaybackSite = site }).RunAsync();

        string html = File.ReadAllText(Path.Combine(merged, "report.html"));
        using var expected = new StringWriter();
        ReportHtml.Write(expected, summary, site);
        Assert.Equal(expected.ToString(), html);
        long first = summary.PerMinute[0].MinuteStartMs, last = summary.PerMinute[^1].MinuteStartMs;
        Assert.Equal(((last - first) / 60_000) + 1, Regex.Count(html, "<a class=\"playback\" href=\"http://localhost:8080/#at="));
        Assert.Contains($"href=\"{site.LinkTo(first).Replace("&", "&amp;", StringComparison.Ordinal)}\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"http://localhost:8080/#at=2026-11-26T10:", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenTwoHourOutputs_WhenMerged_ThenCoPlaysParquetHoldsTheMergedRowsInOrderWithTheSettingsMetadata()
    {
        (string nine, string ten, string both) = await ReplayHoursAsync();
        string merged = _temp.Combine("merged");

        await MergeAsync(merged, nine, ten);

        (long rows, IReadOnlyDictionary<string, string> metadata, string[] tracks) = await ReadParquetAsync(Path.Combine(merged, "coplays.parquet"));
        (long bothRows, IReadOnlyDictionary<string, string> bothMetadata, string[] bothTracks) = await ReadParquetAsync(Path.Combine(both, "coplays.parquet"));
        Assert.Equal(992, rows);
        Assert.Equal(bothRows, rows);
        Assert.Equal(bothTracks, tracks);
        Assert.Equal(bothMetadata.OrderBy(p => p.Key), metadata.OrderBy(p => p.Key));
    }

    [Fact]
    public async Task GivenTheHourOutputsInReverseOrder_WhenMerged_ThenTheCoPlaysAndCountsAreTheSame()
    {
        (string nine, string ten, string both) = await ReplayHoursAsync();
        string merged = _temp.Combine("merged");

        await MergeAsync(merged, ten, nine);

        FileAssert.SameBytes(Path.Combine(both, "coplays.jsonl"), Path.Combine(merged, "coplays.jsonl"));
        JsonObject expected = FileAssert.ReadJson(Path.Combine(both, "summary.json"));
        JsonObject actual = FileAssert.ReadJson(Path.Combine(merged, "summary.json"));
        expected.Remove("inputs");
        actual.Remove("inputs");
        Assert.Equal(expected.ToJsonString(), actual.ToJsonString());
    }

    [Fact]
    public async Task GivenHourReplaysOfOneFileByFromAndTo_WhenMerged_ThenTheyEqualOneReplayOfTheFileAndTheRangeSpansBoth()
    {
        string day = _temp.Write("in/day.jsonl", string.Concat(File.ReadAllLines(TestData.Example("plays.jsonl")).Concat(ExampleHours.TenOClockLines()).Select(l => l + "\n")));
        string nine = _temp.Combine("hour-09"), ten = _temp.Combine("hour-10"), whole = _temp.Combine("whole");
        await new ReplayJob(Replays.Request([day], nine, database.Cities) with { Range = new EventTimeRange(Nine, Nine.AddHours(1)) }).RunAsync();
        await new ReplayJob(Replays.Request([day], ten, database.Cities) with { Range = new EventTimeRange(Nine.AddHours(1), Nine.AddHours(2)) }).RunAsync();
        await Replays.RunAsync([day], whole, database.Cities);

        ReplaySummary merged = await MergeAsync(_temp.Combine("merged"), nine, ten);

        FileAssert.SameBytes(Path.Combine(whole, "coplays.jsonl"), _temp.Combine("merged", "coplays.jsonl"));
        FileAssert.SameKeys(
            FileAssert.ReadJson(Path.Combine(whole, "summary.json")),
            FileAssert.ReadJson(_temp.Combine("merged", "summary.json")),
            "eligibleRecords", "eligiblePlays", "duplicateRecords", "ineligible", "coPlays", "windows", "playedAtRange", "topTracks", "topCityPairs", "coPlaysPerMinute");
        Assert.Equal(6000, merged.OutsideRange);
        Assert.Equal(Nine.ToUnixTimeMilliseconds(), merged.Settings.FromMs);
        Assert.Equal(Nine.AddHours(2).ToUnixTimeMilliseconds(), merged.Settings.ToMs);
    }

    [Fact]
    public async Task GivenOutputsReplayedWithDifferentWindows_WhenMerged_ThenItIsRefusedNamingBothAndTheSetting()
    {
        (string nineIn, string tenIn) = ExampleHours.Write(_temp.Combine("in"));
        string nine = _temp.Combine("hour-09"), ten = _temp.Combine("hour-10"), merged = _temp.Combine("merged");
        await Replays.RunAsync([nineIn], nine, database.Cities);
        await new ReplayJob(new ReplayRequest([tenIn], ten, 500, 100, 250, database.Cities, null, null, new FakeTimeProvider(Replays.Now))).RunAsync();

        var e = await Assert.ThrowsAsync<MergeRefusedException>(() => MergeAsync(merged, nine, ten));

        Assert.Equal($"Cannot merge '{ten}' with '{nine}': they were replayed with different settings (windowMs 500 and 1000).", e.Message);
        Assert.False(Directory.Exists(merged), "nothing is written");
    }

    [Fact]
    public async Task GivenOutputsMadeWithDifferentCityDatabaseBuilds_WhenMerged_ThenItIsRefused()
    {
        (string nine, string ten, _) = await ReplayHoursAsync();
        EditSummary(ten, s => s["cityDatabase"]!["buildTime"] = "2026-10-01T00:00:00.000Z");

        var e = await Assert.ThrowsAsync<MergeRefusedException>(() => MergeAsync(_temp.Combine("merged"), nine, ten));

        Assert.Equal(
            $"Cannot merge '{ten}' with '{nine}': they were made with different City databases (GeoLite2-City built 2026-10-01T00:00:00.000Z and GeoLite2-City built 2026-09-18T04:49:38.000Z), which can place plays differently.",
            e.Message);
    }

    [Fact]
    public async Task GivenTwoReplaysOfTheSameHour_WhenMerged_ThenItIsRefusedAsOverlapping()
    {
        (string nine, _, _) = await ReplayHoursAsync();
        string again = _temp.Combine("hour-09-again");
        await Replays.RunAsync([_temp.Combine("in", "hour-09.jsonl")], again, database.Cities);

        var e = await Assert.ThrowsAsync<MergeRefusedException>(() => MergeAsync(_temp.Combine("merged"), nine, again));

        Assert.StartsWith($"Cannot merge '{again}' with '{nine}': their plays overlap in time (2026-11-26T09:00:00.", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("so a window's plays could be split between them. Merge combines replays of separate hours.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenOutputsSharingAWindowAndTrackDespiteTheirSummaries_WhenMerged_ThenTheSharedCoPlayIsRefusedAndNothingIsLeft()
    {
        (string nine, _, _) = await ReplayHoursAsync();
        string copy = _temp.Combine("copy");
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(nine))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        // The copy claims to hold 11 o'clock, so only its co-plays show the overlap.
        EditSummary(copy, s => s["playedAtRange"] = new JsonArray("2026-11-26T11:00:00.000Z", "2026-11-26T11:59:59.999Z"));
        string merged = _temp.Combine("merged");
        string first = File.ReadLines(Path.Combine(nine, "coplays.jsonl")).First();

        var e = await Assert.ThrowsAsync<MergeRefusedException>(() => MergeAsync(merged, nine, copy));

        Assert.Equal(
            $"Cannot merge '{copy}' with '{nine}': both have a co-play of track '{(string)JsonNode.Parse(first)!["trackId"]!}' in the window of 2026-11-26T09:00:00.000Z, so they replayed overlapping hours.",
            e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(merged));
    }

    [Fact]
    public async Task GivenAnOutputWhoseCoPlaysDoNotMatchItsSummary_WhenMerged_ThenItIsRefusedNamingIt()
    {
        (string nine, string ten, _) = await ReplayHoursAsync();
        string[] lines = File.ReadAllLines(Path.Combine(ten, "coplays.jsonl"));
        File.WriteAllLines(Path.Combine(ten, "coplays.jsonl"), lines[..^1]);

        var e = await Assert.ThrowsAsync<MergeRefusedException>(() => MergeAsync(_temp.Combine("merged"), nine, ten));

        Assert.Equal($"'{ten}' does not hold together: its coplays.jsonl has 495 co-plays, its summary.json says 496.", e.Message);
    }

    [Fact]
    public async Task GivenAnOutputWithCoPlaysOutOfOrder_WhenMerged_ThenTheFileAndLineAreNamed()
    {
        (string nine, string ten, _) = await ReplayHoursAsync();
        string path = Path.Combine(ten, "coplays.jsonl");
        string[] lines = File.ReadAllLines(path);
        (lines[3], lines[4]) = (lines[4], lines[3]);
        File.WriteAllLines(path, lines);

        var e = await Assert.ThrowsAsync<InputFileException>(() => MergeAsync(_temp.Combine("merged"), nine, ten));

        Assert.Equal($"'{path}' line 5 is out of order: co-plays must be sorted by (windowStart, trackId), each once.", e.Message);
    }

    [Fact]
    public async Task GivenAFolderThatIsNoReplayOutput_WhenMerged_ThenItIsRefusedSayingWhatIsMissing()
    {
        string empty = _temp.Combine("empty");
        Directory.CreateDirectory(empty);
        string missing = _temp.Combine("missing");

        var noSummary = await Assert.ThrowsAsync<MergeRefusedException>(() => MergeAsync(_temp.Combine("merged"), empty));
        var noFolder = await Assert.ThrowsAsync<MergeRefusedException>(() => MergeAsync(_temp.Combine("merged"), missing));

        Assert.Equal($"'{empty}' is not a replay output: it has no summary.json.", noSummary.Message);
        Assert.Equal($"Input '{missing}' is not a folder: merge combines replay output folders.", noFolder.Message);
    }

    [Fact]
    public async Task GivenASummaryWithoutAKey_WhenMerged_ThenTheFileAndKeyAreNamed()
    {
        (string nine, string ten, _) = await ReplayHoursAsync();
        EditSummary(ten, s => s.Remove("coPlaysPerMinute"));

        var e = await Assert.ThrowsAsync<InputFileException>(() => MergeAsync(_temp.Combine("merged"), nine, ten));

        Assert.Equal($"'{Path.Combine(ten, "summary.json")}' is not a replay summary: \"coPlaysPerMinute\" is missing.", e.Message);
    }

    [Fact]
    public async Task GivenTheSameOutputTwice_WhenMerged_ThenItIsRefused()
    {
        (string nine, _, _) = await ReplayHoursAsync();

        var e = await Assert.ThrowsAsync<MergeRefusedException>(() => MergeAsync(_temp.Combine("merged"), nine, nine + Path.DirectorySeparatorChar));

        Assert.Equal($"'{nine}' is given more than once.", e.Message);
    }

    private static void EditSummary(string output, Action<JsonObject> edit)
    {
        string path = Path.Combine(output, "summary.json");
        JsonObject summary = FileAssert.ReadJson(path);
        edit(summary);
        File.WriteAllText(path, summary.ToJsonString());
    }

    private static async Task<(long Rows, IReadOnlyDictionary<string, string> Metadata, string[] Tracks)> ReadParquetAsync(string path)
    {
        using FileStream stream = File.OpenRead(path);
        await using ParquetReader reader = await ParquetReader.CreateAsync(stream);
        var tracks = new List<string>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
            var column = new string?[group.RowCount];
            await group.ReadAsync(reader.Schema.DataFields.Single(f => f.Name == "track_id"), column.AsMemory());
            tracks.AddRange(column!);
        }

        return (reader.RowGroups.Sum(g => g.RowCount), reader.CustomMetadata, [.. tracks]);
    }
}
