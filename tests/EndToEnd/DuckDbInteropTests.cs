using System.Globalization;
using System.Text.Json.Nodes;
using ListeningTogether.EndToEnd.Fixtures;

namespace ListeningTogether.EndToEnd;

/// <summary>
/// Parquet as the analyst's other tool writes and reads it: DuckDB's play files replay to the same co-plays as
/// the equivalent JSONL, and DuckDB reads coplays.parquet with DESIGN.md's column types and the same rows.
/// </summary>
public sealed class DuckDbInteropTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("TIMESTAMP", 0)]
    [InlineData("TIMESTAMPTZ", 1)]
    public async Task GivenTheExamplePlaysWrittenByDuckDbShuffledInSeveralRowGroups_WhenReplayed_ThenTheCoPlaysAreThoseOfTheEquivalentJsonl(string timestampType, int utcAdjusted)
    {
        Lt.RequireRealCityDb();
        string parquet = _temp.Combine("plays.parquet");
        string jsonl = _temp.Combine("plays.jsonl");

        // Every play three times (redeliveries), shuffled: 9,000 rows in row groups of 2,048.
        JsonObject written = await DuckDb.RunAsync("write-example-plays.mjs", Lt.Examples("plays.jsonl"), parquet, jsonl, timestampType, "3");
        LtResult fromParquet = await Lt.RunAsync(["replay", "--input", parquet, "--output", _temp.Combine("from-parquet")]);
        LtResult fromJsonl = await Lt.RunAsync(["replay", "--input", jsonl, "--output", _temp.Combine("from-jsonl")]);

        Assert.Equal(5, (int)written["rowGroups"]!);
        Assert.Equal(
            $"TimestampType(isAdjustedToUTC={utcAdjusted}, unit=TimeUnit(MILLIS=<null>, MICROS=MicroSeconds(), NANOS=<null>))",
            (string?)written["playedAt"]!["logical_type"]);
        Assert.True(fromParquet.ExitCode == 0, fromParquet.ToString());
        Assert.True(fromJsonl.ExitCode == 0, fromJsonl.ToString());
        byte[] coPlays = File.ReadAllBytes(_temp.Combine("from-parquet", "coplays.jsonl"));
        Assert.Equal(File.ReadAllBytes(_temp.Combine("from-jsonl", "coplays.jsonl")), coPlays);
        Assert.Equal(File.ReadAllBytes(Lt.Examples("expected.jsonl")), coPlays);
        Assert.Equal(Counts(_temp.Combine("from-jsonl", "summary.json")), Counts(_temp.Combine("from-parquet", "summary.json")));
    }

    [Fact]
    public async Task GivenAReplayOutput_WhenDuckDbReadsCoPlaysParquet_ThenItSeesTheDesignTypesAndTheRowsOfCoPlaysJsonl()
    {
        Lt.RequireRealCityDb();
        string output = _temp.Combine("out");
        LtResult replay = await Lt.RunAsync(["replay", "--input", Lt.Examples("plays.jsonl"), "--output", output]);
        Assert.True(replay.ExitCode == 0, replay.ToString());

        JsonObject seen = await DuckDb.RunAsync("describe-coplays.mjs", Path.Combine(output, "coplays.parquet"));

        string[] expectedColumns =
        [
            "window_start TIMESTAMP WITH TIME ZONE", "track_id VARCHAR", "plays BIGINT", "locations BIGINT",
            "a_geoname_id BIGINT", "a_city VARCHAR", "a_country VARCHAR", "a_lat DOUBLE", "a_lon DOUBLE",
            "b_geoname_id BIGINT", "b_city VARCHAR", "b_country VARCHAR", "b_lat DOUBLE", "b_lon DOUBLE", "distance_km DOUBLE",
        ];
        Assert.Equal(expectedColumns, seen["columns"]!.AsArray().Select(c => $"{c!["name"]} {c["type"]}"));
        JsonObject windowStart = seen["schema"]!.AsArray().Single(c => (string?)c!["name"] == "window_start")!.AsObject();
        Assert.Equal("INT64", (string?)windowStart["type"]);
        Assert.Equal("TimestampType(isAdjustedToUTC=1, unit=TimeUnit(MILLIS=MilliSeconds(), MICROS=<null>, NANOS=<null>))", (string?)windowStart["logical_type"]);
        Assert.Equal(
            File.ReadAllLines(Path.Combine(output, "coplays.jsonl")).Select(Normalize),
            seen["coPlays"]!.AsArray().Select(row => Normalize(FromDuckDb(row!.AsObject()))));
    }

    /// <summary>A DuckDB row (windowStart as epoch ms, integers as strings) in the JSONL co-play shape.</summary>
    private static string FromDuckDb(JsonObject row)
    {
        JsonObject Place(string name)
        {
            JsonObject place = row[name]!.AsObject();
            return new JsonObject
            {
                ["geonameId"] = long.Parse((string)place["geonameId"]!, CultureInfo.InvariantCulture),
                ["city"] = place["city"]?.DeepClone(),
                ["country"] = place["country"]?.DeepClone(),
                ["lat"] = (double)place["lat"]!,
                ["lon"] = (double)place["lon"]!,
            };
        }

        return new JsonObject
        {
            ["windowStart"] = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse((string)row["windowStartMs"]!, CultureInfo.InvariantCulture))
                .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["trackId"] = (string?)row["trackId"],
            ["plays"] = long.Parse((string)row["plays"]!, CultureInfo.InvariantCulture),
            ["locations"] = long.Parse((string)row["locations"]!, CultureInfo.InvariantCulture),
            ["a"] = Place("a"),
            ["b"] = Place("b"),
            ["distanceKm"] = (double)row["distanceKm"]!,
        }.ToJsonString();
    }

    /// <summary>One co-play line parsed and re-serialized, so both sides compare in one notation (doubles exact).</summary>
    private static string Normalize(string line) => JsonNode.Parse(line)!.ToJsonString();

    /// <summary>The summary's counts that do not name the input files.</summary>
    private static string Counts(string summaryPath)
    {
        JsonObject summary = JsonNode.Parse(File.ReadAllText(summaryPath))!.AsObject();
        summary.Remove("inputs");
        return summary.ToJsonString();
    }
}
