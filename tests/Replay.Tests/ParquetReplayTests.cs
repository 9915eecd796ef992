using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Input;
using ListeningTogether.Replay.Output.Summary;
using ListeningTogether.Replay.Tests.Fixtures;
using Parquet;
using Parquet.Schema;

namespace ListeningTogether.Replay.Tests;

/// <summary>
/// Parquet play files in, <c>coplays.parquet</c> out: the example plays as DuckDB wrote them, as other writers
/// encode timestamps, mixed with JSONL, corrupt; and the result file read back with Parquet.Net.
/// </summary>
[Collection(RealCityDatabaseCollection.Name)]
public sealed class ParquetReplayTests(RealCityDatabaseFixture database) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Encodings() => ["millis-utc", "micros-utc", "nanos-local", "int96"];

    [Fact]
    public async Task GivenTheExamplePlaysWrittenByDuckDb_WhenReplayed_ThenCoPlaysJsonlIsByteIdenticalAndTheCountsAreTheExampleSummary()
    {
        string output = _temp.Combine("out");

        ReplaySummary summary = await Replays.RunAsync([TestData.Example("plays.parquet")], output, database.Cities);

        AssertSameBytes(TestData.Example("expected.jsonl"), Path.Combine(output, "coplays.jsonl"));
        ExampleSummary.AssertCountsMatch(output);
        Assert.Equal([new InputFileSummary(TestData.Example("plays.parquet"), 3000)], summary.Inputs);
    }

    [Fact]
    public async Task GivenTheExamplePlaysInParquetAndInJsonl_WhenEachIsReplayed_ThenTheSummariesAreIdenticalButForTheInputs()
    {
        string fromParquet = _temp.Combine("parquet");
        string fromJsonl = _temp.Combine("jsonl");

        await Replays.RunAsync([TestData.Example("plays.parquet")], fromParquet, database.Cities, workers: 1);
        await Replays.RunAsync([TestData.Example("plays.jsonl")], fromJsonl, database.Cities, workers: 2);

        JsonObject parquet = ReadJson(Path.Combine(fromParquet, "summary.json"));
        JsonObject jsonl = ReadJson(Path.Combine(fromJsonl, "summary.json"));
        parquet.Remove("inputs");
        jsonl.Remove("inputs");
        Assert.Equal(jsonl.ToJsonString(), parquet.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task GivenTheExamplePlaysShuffledWithAUserIdColumnAndATimestampEncoding_WhenReplayed_ThenTheCoPlaysAndCountsAreTheExamples(string encoding)
    {
        ParquetPlay[] plays = ParquetPlays.Examples();
        new Random(11).Shuffle(plays);
        string input = await ParquetPlays.WriteAsync(_temp.Combine("in", encoding + ".parquet"), plays, PlayedAt(encoding), rowsPerGroup: 700);
        string output = _temp.Combine("out");

        ReplaySummary summary = await Replays.RunAsync([input], output, database.Cities);

        AssertSameBytes(TestData.Example("expected.jsonl"), Path.Combine(output, "coplays.jsonl"));
        ExampleSummary.AssertCountsMatch(output);
        Assert.Equal(3000, Assert.Single(summary.Inputs).Records);
    }

    [Fact]
    public async Task GivenSubMillisecondTimestamps_WhenReplayed_ThenPlayedAtIsFlooredToTheMillisecondForEveryEncoding()
    {
        DateTime justBeforeASecond = new DateTime(2026, 11, 26, 9, 0, 0, 999, DateTimeKind.Utc).AddTicks(9_999);
        ParquetPlay play = new("e1", "t1", null, "81.2.69.142", justBeforeASecond, null);

        foreach (string encoding in new[] { "micros-utc", "nanos-local", "int96" })
        {
            string input = await ParquetPlays.WriteAsync(_temp.Combine("in", encoding + ".parquet"), [play], PlayedAt(encoding), rowsPerGroup: 10);

            ReplaySummary summary = await Replays.RunAsync([input], _temp.Combine("out-" + encoding), database.Cities);

            Assert.Equal(new DateTimeOffset(2026, 11, 26, 9, 0, 0, 999, TimeSpan.Zero).ToUnixTimeMilliseconds(), summary.FirstPlayedAtMs);
        }
    }

    [Fact]
    public async Task GivenAFolderWithHalfThePlaysInJsonlAndHalfInParquet_WhenReplayed_ThenCoPlaysAndCountsAreTheExamples()
    {
        string[] lines = File.ReadAllLines(TestData.Example("plays.jsonl"));
        new Random(5).Shuffle(lines);
        string folder = _temp.Combine("mixed");
        string jsonl = _temp.Write(Path.Combine("mixed", "a.jsonl"), string.Concat(lines[..1200].Select(l => l + "\n")));
        string parquet = await ParquetPlays.WriteAsync(
            Path.Combine(folder, "hour=09", "b.parquet"), [.. lines[1200..].Select(ParquetPlay.FromJsonl)], PlayedAt("micros-utc"), rowsPerGroup: 500);
        string output = _temp.Combine("out");

        ReplaySummary summary = await Replays.RunAsync([folder], output, database.Cities);

        AssertSameBytes(TestData.Example("expected.jsonl"), Path.Combine(output, "coplays.jsonl"));
        ExampleSummary.AssertCountsMatch(output);
        Assert.Equal([new InputFileSummary(jsonl, 1200), new InputFileSummary(parquet, 1800)], summary.Inputs);
    }

    [Fact]
    public async Task GivenACorruptParquetFile_WhenReplayed_ThenTheErrorNamesItAndNoResultIsWritten()
    {
        string corrupt = _temp.Write(Path.Combine("in", "broken.parquet"), "{\"eventId\":\"e1\"}\n");
        string output = _temp.Combine("out");

        var e = await Assert.ThrowsAsync<InputFileException>(() => Replays.RunAsync([TestData.Example("plays.jsonl"), corrupt], output, database.Cities));

        Assert.StartsWith($"'{corrupt}' is not a readable Parquet play file: ", e.Message, StringComparison.Ordinal);
        Assert.Equal(corrupt, e.FilePath);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    [Fact]
    public async Task GivenAParquetFileWithoutATrackIdColumn_WhenReplayed_ThenTheErrorNamesTheFileAndTheColumn()
    {
        var eventId = new DataField<string>("event_id", true);
        string input = _temp.Combine("in", "no-track.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(input)!);
        using (FileStream stream = File.Create(input))
        {
            await using ParquetWriter writer = await ParquetWriter.CreateAsync(new ParquetSchema(eventId), stream);
            using ParquetRowGroupWriter rows = writer.CreateRowGroup();
            await rows.WriteAsync(eventId, new[] { "e1" });
        }

        var e = await Assert.ThrowsAsync<InputFileException>(() => Replays.RunAsync([input], _temp.Combine("out"), database.Cities));

        Assert.Equal($"'{input}' has no column 'track_id' (a string).", e.Message);
    }

    [Fact]
    public async Task GivenIneligibleParquetRows_WhenReplayed_ThenReasonsOneToThreeAndSixAreDeadLetteredWithTheRowsFieldsButNoUserId()
    {
        DateTime at = new(2026, 11, 26, 9, 0, 1, 500, DateTimeKind.Utc);
        ParquetPlay[] plays =
        [
            new(null, "t1", "u-secret", "81.2.69.142", at, null),
            new("e2", new string('x', 129), "u-secret", "81.2.69.142", at, false),
            new("e3", "t1", "u-secret", "81.2.69.142", new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Utc), null),
            new("e4", "t1", "u-secret", "1.2.3", at, null),
            new("e5", "t1", "u-secret", "81.2.69.142", at, true),
            new("e6", "t1", "u-secret", "", at, null),
            new("e7", "t1", "u-secret", null, at, null),
            new("e8", "t1", "u-secret", "10.0.0.1", at, null),
            new("e9", new string('ü', 128), "u-secret", "81.2.69.142", at, null),
        ];
        string input = await ParquetPlays.WriteAsync(_temp.Combine("in", "dirty.parquet"), plays, PlayedAt("millis-utc"), rowsPerGroup: 4);
        var deadLetters = new CollectingDeadLetterSink();

        ReplaySummary summary = await Replays.RunAsync([input], _temp.Combine("out"), database.Cities, deadLetters);

        Assert.Equal(
            new Dictionary<string, long>
            {
                ["malformed"] = 0,
                ["invalid_event_id"] = 1,
                ["invalid_track_id"] = 1,
                ["invalid_played_at"] = 1,
                ["private_session"] = 1,
                ["ip_missing"] = 2,
                ["ip_invalid"] = 1,
                ["ip_not_public"] = 1,
                ["ip_anonymous"] = 0,
                ["geo_no_city"] = 0,
                ["geo_inaccurate"] = 0,
            },
            summary.Ineligible);
        Assert.Equal(1, summary.EligibleRecords);
        Assert.Equal(
            [
                ("invalid_event_id", $"{input}#row=0", "{\"eventId\":null,\"trackId\":\"t1\",\"ip\":\"81.2.69.142\",\"playedAt\":\"2026-11-26T09:00:01.5000000Z\",\"privateSession\":null}"),
                ("invalid_track_id", $"{input}#row=1", "{\"eventId\":\"e2\",\"trackId\":\"" + new string('x', 129) + "\",\"ip\":\"81.2.69.142\",\"playedAt\":\"2026-11-26T09:00:01.5000000Z\",\"privateSession\":false}"),
                ("invalid_played_at", $"{input}#row=2", "{\"eventId\":\"e3\",\"trackId\":\"t1\",\"ip\":\"81.2.69.142\",\"playedAt\":\"1999-12-31T23:59:59.0000000Z\",\"privateSession\":null}"),
                ("ip_invalid", $"{input}#row=3", "{\"eventId\":\"e4\",\"trackId\":\"t1\",\"ip\":\"1.2.3\",\"playedAt\":\"2026-11-26T09:00:01.5000000Z\",\"privateSession\":null}"),
            ],
            deadLetters.Entries.OrderBy(d => d.Source, StringComparer.Ordinal).Select(d => (d.Reason.Code(), d.Source, Encoding.UTF8.GetString(d.Payload.Span))));
        Assert.All(deadLetters.Entries, d => Assert.Equal(Replays.Now, d.ReceivedAt));
    }

    [Fact]
    public async Task GivenTheExamplePlays_WhenReplayed_ThenCoPlaysParquetHasTheDocumentedColumnsTypesMetadataAndTheRowsOfCoPlaysJsonl()
    {
        string output = _temp.Combine("out");

        await Replays.RunAsync([TestData.Example("plays.parquet")], output, database.Cities);

        using FileStream stream = File.OpenRead(Path.Combine(output, "coplays.parquet"));
        await using ParquetReader reader = await ParquetReader.CreateAsync(stream);
        Assert.Equal(
            [
                "window_start timestamp(ms, utc) required", "track_id string required", "plays int64 required", "locations int64 required",
                "a_geoname_id int64 required", "a_city string optional", "a_country string optional", "a_lat double required", "a_lon double required",
                "b_geoname_id int64 required", "b_city string optional", "b_country string optional", "b_lat double required", "b_lon double required",
                "distance_km double required",
            ],
            reader.Schema.DataFields.Select(Describe));
        Assert.Equal("1000", reader.CustomMetadata["windowMs"]);
        Assert.Equal("100", reader.CustomMetadata["minDistanceKm"]);
        Assert.Equal("250", reader.CustomMetadata["maxAccuracyRadiusKm"]);
        Assert.Equal(database.Cities.DatabaseType, reader.CustomMetadata["cityDatabase.type"]);
        Assert.Equal("2026-09-18T04:49:38.000Z", reader.CustomMetadata["cityDatabase.buildTime"]);

        string[] expected = File.ReadAllLines(TestData.Example("expected.jsonl"));
        var lines = new List<string>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            lines.AddRange(await ReadAsJsonlAsync(reader, g));
        }

        Assert.Equal(expected, lines);
    }

    [Fact]
    public async Task GivenNoCoPlays_WhenReplayed_ThenCoPlaysParquetIsAValidFileWithTheSchemaAndNoRows()
    {
        string input = _temp.Write(Path.Combine("in", "empty.jsonl"), "");
        string output = _temp.Combine("out");

        await Replays.RunAsync([input], output, database.Cities);

        using FileStream stream = File.OpenRead(Path.Combine(output, "coplays.parquet"));
        await using ParquetReader reader = await ParquetReader.CreateAsync(stream);
        Assert.Equal(15, reader.Schema.DataFields.Length);
        Assert.Equal(0, reader.RowGroups.Sum(g => g.RowCount));
    }

    private static DateTimeDataField PlayedAt(string encoding) => ParquetPlays.PlayedAtField(encoding);

    private static string Describe(DataField field)
    {
        string type = field switch
        {
            DateTimeDataField { DateTimeFormat: DateTimeFormat.Timestamp, Unit: DateTimeTimeUnit.Millis, IsAdjustedToUTC: true } => "timestamp(ms, utc)",
            DateTimeDataField d => $"timestamp({d.DateTimeFormat}, {d.Unit}, {d.IsAdjustedToUTC})",
            _ when field.ClrType == typeof(ReadOnlyMemory<char>) || field.ClrType == typeof(string) => "string",
            _ when field.ClrType == typeof(long) => "int64",
            _ when field.ClrType == typeof(double) => "double",
            _ => field.ClrType.Name,
        };
        return $"{field.Name} {type} {(field.IsNullable ? "optional" : "required")}";
    }

    /// <summary>One row group of coplays.parquet in the JSONL form, so it compares with coplays.jsonl line by line.</summary>
    private static async Task<IEnumerable<string>> ReadAsJsonlAsync(ParquetReader reader, int rowGroup)
    {
        using ParquetRowGroupReader group = reader.OpenRowGroupReader(rowGroup);
        int n = checked((int)group.RowCount);
        DataField[] f = reader.Schema.DataFields;
        var windowStart = new DateTime[n];
        var strings = new Dictionary<string, string?[]>();
        var longs = new Dictionary<string, long[]>();
        var doubles = new Dictionary<string, double[]>();
        await group.ReadAsync<DateTime>(f[0], windowStart);
        foreach (DataField field in f.Skip(1))
        {
            if (field.ClrType == typeof(long))
            {
                await group.ReadAsync<long>(field, longs[field.Name] = new long[n]);
            }
            else if (field.ClrType == typeof(double))
            {
                await group.ReadAsync<double>(field, doubles[field.Name] = new double[n]);
            }
            else
            {
                await group.ReadAsync(field, (strings[field.Name] = new string?[n]).AsMemory());
            }
        }

        JsonObject Place(string p, int i) => new()
        {
            ["geonameId"] = longs[p + "_geoname_id"][i],
            ["city"] = strings[p + "_city"][i],
            ["country"] = strings[p + "_country"][i],
            ["lat"] = doubles[p + "_lat"][i],
            ["lon"] = doubles[p + "_lon"][i],
        };

        var options = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return Enumerable.Range(0, n).Select(i => new JsonObject
        {
            ["windowStart"] = windowStart[i].ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["trackId"] = strings["track_id"][i],
            ["plays"] = longs["plays"][i],
            ["locations"] = longs["locations"][i],
            ["a"] = Place("a", i),
            ["b"] = Place("b", i),
            ["distanceKm"] = doubles["distance_km"][i],
        }.ToJsonString(options));
    }

    private static JsonObject ReadJson(string path) => JsonNode.Parse(File.ReadAllText(path, Encoding.UTF8))!.AsObject();

    private static void AssertSameBytes(string expectedPath, string actualPath)
    {
        string[] expected = File.ReadAllLines(expectedPath);
        string[] actual = File.ReadAllLines(actualPath);
        for (int i = 0; i < Math.Min(expected.Length, actual.Length); i++)
        {
            Assert.True(expected[i] == actual[i], $"line {i + 1} differs:\nexpected {expected[i]}\nactual   {actual[i]}");
        }

        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(File.ReadAllBytes(expectedPath), File.ReadAllBytes(actualPath));
    }
}
