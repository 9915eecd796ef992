using System.Text;
using System.Text.Json.Nodes;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Replay.Output.Summary;
using ListeningTogether.Replay.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;
using static ListeningTogether.Replay.Tests.Fixtures.PlayLines;

namespace ListeningTogether.Replay.Tests.Analytics;

/// <summary>
/// The top lists and per-minute counts of a real replay, checked against the example co-plays (expected.jsonl,
/// from the independent SQL implementation) ranked here by the documented order.
/// </summary>
[Collection(RealCityDatabaseCollection.Name)]
public sealed class ReplayStatisticsTests(RealCityDatabaseFixture database) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static List<JsonObject> ExpectedCoPlays() =>
        [.. File.ReadLines(TestData.Example("expected.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject())];

    [Fact]
    public async Task GivenTheExamplePlays_WhenReplayed_ThenTopTracksAreTheExpectedCoPlaysPerTrackRankedByCoPlaysPlaysAndUtf8Id()
    {
        ReplaySummary summary = await Replays.RunAsync([TestData.Example("plays.jsonl")], _temp.Combine("out"), database.Cities);

        var expected = ExpectedCoPlays()
            .GroupBy(c => (string)c["trackId"]!)
            .Select(g => new TrackTotal(g.Key, g.Count(), g.Sum(c => (long)c["plays"]!)))
            .OrderByDescending(t => t.CoPlays)
            .ThenByDescending(t => t.Plays)
            .ThenBy(t => Encoding.UTF8.GetBytes(t.TrackId), Utf8Bytes.Instance)
            .Take(20);
        Assert.Equal(expected, summary.TopTracks);
        Assert.Contains(summary.TopTracks.Zip(summary.TopTracks.Skip(1)), p => p.First.CoPlays == p.Second.CoPlays);
    }

    [Fact]
    public async Task GivenTheExamplePlays_WhenReplayed_ThenTopCityPairsAreTheExpectedCoPlaysPerPairRankedWithEachCityAsInItsFirstCoPlay()
    {
        ReplaySummary summary = await Replays.RunAsync([TestData.Example("plays.jsonl")], _temp.Combine("out"), database.Cities);

        List<JsonObject> coPlays = ExpectedCoPlays();
        var firstPlace = new Dictionary<long, (double Lat, double Lon, string? City)>();
        foreach (JsonObject place in coPlays.SelectMany(c => new[] { c["a"]!.AsObject(), c["b"]!.AsObject() }))
        {
            firstPlace.TryAdd((long)place["geonameId"]!, ((double)place["lat"]!, (double)place["lon"]!, (string?)place["city"]));
        }

        var expected = coPlays
            .GroupBy(c => ((long)c["a"]!["geonameId"]!, (long)c["b"]!["geonameId"]!))
            .Select(g => (Pair: g.Key, CoPlays: (long)g.Count(), Plays: g.Sum(c => (long)c["plays"]!)))
            .OrderByDescending(p => p.CoPlays)
            .ThenByDescending(p => p.Plays)
            .ThenBy(p => p.Pair.Item1)
            .ThenBy(p => p.Pair.Item2)
            .Take(20)
            .Select(p => (p.Pair, firstPlace[p.Pair.Item1], firstPlace[p.Pair.Item2], p.CoPlays, p.Plays));
        Assert.Equal(
            expected,
            summary.TopCityPairs.Select(p => ((p.A.GeonameId, p.B.GeonameId), (p.A.Lat, p.A.Lon, p.A.City), (p.B.Lat, p.B.Lon, p.B.City), p.CoPlays, p.Plays)));
        Assert.All(summary.TopCityPairs, p => Assert.Equal(Haversine.DistanceKm(p.A.Lat, p.A.Lon, p.B.Lat, p.B.Lon), p.DistanceKm));
    }

    [Fact]
    public async Task GivenTwoHoursOfPlays_WhenReplayed_ThenEachMinuteHasItsEligiblePlaysAndCoPlaysAndTheyAddUpToTheTotals()
    {
        (string nine, string ten) = ExampleHours.Write(_temp.Combine("in"));

        ReplaySummary summary = await Replays.RunAsync([nine, ten], _temp.Combine("out"), database.Cities);

        long nineOClock = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.Equal([new MinuteTotal(nineOClock, 2738, 496), new MinuteTotal(nineOClock + 3_600_000, 2738, 496)], summary.PerMinute);
        Assert.Equal(summary.EligiblePlays, summary.PerMinute.Sum(m => m.EligiblePlays));
        Assert.Equal(summary.CoPlays, summary.PerMinute.Sum(m => m.CoPlays));
        JsonArray perMinute = FileAssert.ReadJson(_temp.Combine("out", "summary.json"))["coPlaysPerMinute"]!.AsArray();
        Assert.Equal(
            "[{\"minute\":\"2026-11-26T09:00:00.000Z\",\"eligiblePlays\":2738,\"coPlays\":496},{\"minute\":\"2026-11-26T10:00:00.000Z\",\"eligiblePlays\":2738,\"coPlays\":496}]",
            perMinute.ToJsonString());
    }

    [Fact]
    public async Task GivenWindowsOfNinetySeconds_WhenReplayed_ThenAWindowsPlaysAndCoPlayCountInTheMinuteItStartsIn()
    {
        using CityDatabase cities = CityDatabase.Open(TestData.CityTestDb);
        string input = _temp.Write("in/plays.jsonl",
            Play("e1", "t", LondonIp, "\"2026-11-26T09:01:10Z\"") + "\n"
            + Play("e2", "t", LinkopingIp, "\"2026-11-26T09:01:20Z\"") + "\n"
            + Play("e3", "u", LondonIp, "\"2026-11-26T09:02:00Z\"") + "\n");
        var request = new ReplayRequest([input], _temp.Combine("out"), 90_000, 100, 250, cities, null, null, new FakeTimeProvider(Replays.Now)) { Workers = 1 };

        ReplaySummary summary = await new ReplayJob(request).RunAsync();

        long nine = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.Equal([new MinuteTotal(nine, 2, 1), new MinuteTotal(nine + 60_000, 1, 0)], summary.PerMinute);
    }

    [Fact]
    public async Task GivenAReplaysSummaryJson_WhenReadBackAndWrittenAgain_ThenTheBytesAreTheSame()
    {
        (string nine, string ten) = ExampleHours.Write(_temp.Combine("in"));
        string output = _temp.Combine("out");
        await Replays.RunAsync([nine, ten], output, database.Cities);
        string path = Path.Combine(output, "summary.json");

        using var again = new MemoryStream();
        SummaryJson.Write(again, SummaryJsonReader.Read(path));

        Assert.Equal(File.ReadAllText(path, Encoding.UTF8), Encoding.UTF8.GetString(again.ToArray()));
    }

    private sealed class Utf8Bytes : IComparer<byte[]>
    {
        public static readonly Utf8Bytes Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
