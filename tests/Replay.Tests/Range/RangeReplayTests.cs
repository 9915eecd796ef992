using System.Globalization;
using System.Text.Json.Nodes;
using ListeningTogether.Replay.Output;
using ListeningTogether.Replay.Output.Summary;
using ListeningTogether.Replay.Range;
using ListeningTogether.Replay.Tests.Fixtures;
using Parquet.Schema;

namespace ListeningTogether.Replay.Tests.Range;

/// <summary>
/// <c>replay --from --to</c>: rows outside [from, to) counted only as outside the range, equal to replaying the
/// pre-filtered plays; and partition folders outside the range never opened.
/// </summary>
[Collection(RealCityDatabaseCollection.Name)]
public sealed class RangeReplayTests(RealCityDatabaseFixture database) : IDisposable
{
    private static readonly DateTimeOffset Ten = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
    private static readonly string[] SameCountKeys =
    [
        "eligibleRecords", "eligiblePlays", "duplicateRecords", "ineligible", "coPlays", "windows", "playedAtRange",
        "topTracks", "topCityPairs", "coPlaysPerMinute", "skippedFiles",
    ];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("2026-11-26T10:00:00Z", "2026-11-26T11:00:00Z")]
    [InlineData("2026-11-26T09:00:30Z", "2026-11-26T10:00:15.5Z")]
    [InlineData(null, "2026-11-26T09:00:30Z")]
    [InlineData("2026-11-26T10:00:40.001Z", null)]
    public async Task GivenTwoHoursOfPlaysInOneFile_WhenReplayedWithARange_ThenCoPlaysAndCountsEqualAReplayOfThePlaysPreFilteredToIt(string? from, string? to)
    {
        string[] lines = [.. File.ReadAllLines(TestData.Example("plays.jsonl")), .. ExampleHours.TenOClockLines()];
        new Random(3).Shuffle(lines);
        var range = new EventTimeRange(Parse(from), Parse(to));
        string both = _temp.Write("in/both.jsonl", string.Concat(lines.Select(l => l + "\n")));
        string[] inRange = [.. lines.Where(l => range.Contains(PlayedAtMs(l)))];
        string preFiltered = _temp.Write("pre/filtered.jsonl", string.Concat(inRange.Select(l => l + "\n")));

        ReplaySummary limited = await Run([both], _temp.Combine("limited"), range);
        ReplaySummary filtered = await Run([preFiltered], _temp.Combine("filtered"), EventTimeRange.All);

        FileAssert.SameBytes(_temp.Combine("filtered", "coplays.jsonl"), _temp.Combine("limited", "coplays.jsonl"));
        JsonObject limitedJson = FileAssert.ReadJson(_temp.Combine("limited", "summary.json"));
        FileAssert.SameKeys(FileAssert.ReadJson(_temp.Combine("filtered", "summary.json")), limitedJson, SameCountKeys);
        Assert.Equal(lines.Length - inRange.Length, limited.OutsideRange);
        Assert.Equal(filtered.InputRecords + limited.OutsideRange, limited.InputRecords);
        Assert.Equal(limited.InputRecords, limited.EligibleRecords + limited.Ineligible.Values.Sum() + limited.OutsideRange);
        Assert.Equal(from is null ? null : JsonText.FormatTime(range.FromMs), (string?)limitedJson["settings"]!["from"]);
        Assert.Equal(to is null ? null : JsonText.FormatTime(range.ToMs), (string?)limitedJson["settings"]!["to"]);
        Assert.True(limited.CoPlays > 0, "the range holds co-plays");
    }

    [Fact]
    public async Task GivenNoRange_WhenReplayed_ThenSettingsHaveNoFromOrToAndNothingIsOutside()
    {
        ReplaySummary summary = await Run([TestData.Example("plays.jsonl")], _temp.Combine("out"), EventTimeRange.All);

        JsonObject settings = FileAssert.ReadJson(_temp.Combine("out", "summary.json"))["settings"]!.AsObject();
        Assert.Equal(["windowMs", "minDistanceKm", "maxAccuracyRadiusKm", "anonymousIpDb"], settings.Select(p => p.Key));
        Assert.Equal(0, summary.OutsideRange);
        Assert.Equal(0, (long)FileAssert.ReadJson(_temp.Combine("out", "summary.json"))["outsideRange"]!);
    }

    [Fact]
    public async Task GivenRecordsWithInvalidIdsOrNoValidTime_WhenReplayedWithARange_ThenInvalidIdsArePlacedByTheirTimeAndUnplaceableRecordsCountAsUsual()
    {
        string input = _temp.Write("in/dirty.jsonl",
            "{\"eventId\":\"\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":\"2026-11-26T09:10:00Z\"}\n"
            + "{\"eventId\":\"\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":\"2026-11-26T10:10:00Z\"}\n"
            + "{\"eventId\":\"e1\",\"trackId\":\"\",\"ip\":\"81.2.69.142\",\"playedAt\":1795687800000}\n"
            + "{\"eventId\":\"e2\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":\"2026-11-26T10:10:00Z\",\"playedAt\":\"2026-11-26T09:10:00Z\",\"trackId\":null}\n"
            + "{\"eventId\":\"e3\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":\"yesterday\"}\n"
            + "not json\n"
            + "{\"eventId\":\"e4\",\"trackId\":\"t\",\"ip\":\"1.2.3\",\"playedAt\":\"2026-11-26T09:10:00Z\"}\n");

        ReplaySummary summary = await Run([input], _temp.Combine("out"), new EventTimeRange(Ten, Ten.AddHours(1)));

        // 1795687800000 is 2026-11-26T10:10:00Z; e2's last playedAt (09:10) counts, as the decoder would take it.
        Assert.Equal(1, summary.Ineligible["invalid_event_id"]);
        Assert.Equal(1, summary.Ineligible["invalid_track_id"]);
        Assert.Equal(1, summary.Ineligible["invalid_played_at"]);
        Assert.Equal(1, summary.Ineligible["malformed"]);
        Assert.Equal(0, summary.Ineligible["ip_invalid"]);
        Assert.Equal(3, summary.OutsideRange);
        Assert.Equal(7, summary.InputRecords);
    }

    [Fact]
    public async Task GivenParquetRowsWithANullEventIdOutsideTheRange_WhenReplayedWithARange_ThenTheyAreOutsideNotInvalid()
    {
        DateTime nine = new(2026, 11, 26, 9, 30, 0, DateTimeKind.Utc);
        string input = await ParquetPlays.WriteAsync(
            _temp.Combine("in", "rows.parquet"),
            [new(null, "t", null, "81.2.69.142", nine, null), new(null, "t", null, "81.2.69.142", nine.AddHours(1), null), new("e1", "t", null, "81.2.69.142", null, null)],
            new DateTimeDataField("played_at", DateTimeFormat.Timestamp, true, DateTimeTimeUnit.Millis, true),
            rowsPerGroup: 2);

        ReplaySummary summary = await Run([input], _temp.Combine("out"), new EventTimeRange(Ten, Ten.AddHours(1)));

        Assert.Equal(1, summary.OutsideRange);
        Assert.Equal(1, summary.Ineligible["invalid_event_id"]);
        Assert.Equal(1, summary.Ineligible["invalid_played_at"]);
    }

    [Fact]
    public async Task GivenAnArchiveWhoseNineOClockPartitionIsCorrupt_WhenReplayedFromTenToEleven_ThenThatPartitionIsNeverOpened()
    {
        string archive = _temp.Combine("archive");
        string corrupt = _temp.Write(Path.Combine("archive", "dt=2026-11-26", "hour=09", "part-0.parquet"), "not parquet at all");
        string ten = _temp.Write(Path.Combine("archive", "dt=2026-11-26", "hour=10", "part-0.jsonl"), string.Concat(ExampleHours.TenOClockLines().Select(l => l + "\n")));

        ReplaySummary summary = await Run([archive], _temp.Combine("out"), new EventTimeRange(Ten, Ten.AddHours(1)));

        Assert.Equal([new InputFileSummary(ten, 3000)], summary.Inputs);
        Assert.Equal(0, summary.OutsideRange);
        Assert.Empty(summary.SkippedFiles);
        Assert.Equal(File.ReadAllLines(TestData.Example("expected.jsonl")).Length, summary.CoPlays);
        Assert.True(File.Exists(corrupt));
        await Assert.ThrowsAsync<Input.InputFileException>(() => Run([archive], _temp.Combine("all"), EventTimeRange.All));
    }

    private Task<ReplaySummary> Run(IReadOnlyList<string> inputs, string output, EventTimeRange range) =>
        new ReplayJob(Replays.Request(inputs, output, database.Cities) with { Range = range }).RunAsync();

    private static DateTimeOffset? Parse(string? time) =>
        time is null ? null : DateTimeOffset.Parse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static long PlayedAtMs(string line) =>
        DateTimeOffset.Parse(JsonNode.Parse(line)!["playedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
}
