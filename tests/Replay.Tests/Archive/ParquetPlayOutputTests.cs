using System.Text;
using System.Text.Json.Nodes;
using ListeningTogether.Replay.Archive;
using ListeningTogether.Replay.Tests.Fixtures;
using Parquet;
using Parquet.Schema;
using static ListeningTogether.Replay.Tests.Fixtures.ArchiveRows;

namespace ListeningTogether.Replay.Tests.Archive;

/// <summary>
/// The archive writer: DESIGN.md's Parquet archive columns, read back by replay exactly; one file or the
/// <c>dt=/hour=</c> layout by the UTC hour of playedAt; files visible only once complete.
/// </summary>
[Collection(RealCityDatabaseCollection.Name)]
public sealed class ParquetPlayOutputTests(RealCityDatabaseFixture database) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task GivenTheExamplePlaysArchivedByTheWriter_WhenReplayed_ThenCoPlaysJsonlIsByteIdenticalAndOnlyTheRecordsWithoutAPlayedAtAreMissing()
    {
        string file = _temp.Combine("archive", "plays.parquet");
        await using (var output = new ParquetPlayFileOutput(file))
        {
            int left = await AddJsonlAsync(output, File.ReadLines(TestData.Example("plays.jsonl")));
            await output.CompleteAsync(CancellationToken.None);
            Assert.Equal(5, left);
        }

        string replayed = _temp.Combine("out");
        // Two workers: event_id, track_id and played_at are required columns, which Parquet.Net misreads as nullable ones.
        await Replays.RunAsync([file], replayed, database.Cities, workers: 2);

        Assert.Equal(File.ReadAllBytes(TestData.Example("expected.jsonl")), File.ReadAllBytes(Path.Combine(replayed, "coplays.jsonl")));
        JsonObject expected = ReadJson(TestData.Example("summary.json"));
        JsonObject actual = ReadJson(Path.Combine(replayed, "summary.json"));
        Assert.Equal(2995, (long)actual["inputRecords"]!);
        foreach (string key in (string[])["eligibleRecords", "eligiblePlays", "duplicateRecords", "coPlays"])
        {
            Assert.True(JsonNode.DeepEquals(expected[key], actual[key]), $"{key}: expected {expected[key]?.ToJsonString()}, actual {actual[key]?.ToJsonString()}");
        }

        // The five records with an invalid event or track id have no valid playedAt to archive; every other reason is recounted.
        JsonObject reasons = actual["ineligible"]!.AsObject();
        JsonObject expectedReasons = expected["ineligible"]!.AsObject();
        expectedReasons["invalid_event_id"] = 0;
        expectedReasons["invalid_track_id"] = 0;
        Assert.True(JsonNode.DeepEquals(expectedReasons, reasons), reasons.ToJsonString());
    }

    [Fact]
    public async Task GivenPlaysWithEveryKindOfValue_WhenWrittenToAFile_ThenEachColumnReadsBackAsWritten()
    {
        string file = _temp.Combine("plays.parquet");
        await using (var output = new ParquetPlayFileOutput(file))
        {
            Add(output, "e1", Hour14 + 431, "81.2.69.142", receivedAtMs: Hour14 + 500, trackId: "spotify:track:東京");
            Add(output, "e2", Hour14 + 999, ip: null, privateSession: true);
            Add(output, "e\"3\\", Hour14 - 1, "2001:db8::1");
            await output.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(
            [
                new ArchiveRow("e1", "spotify:track:東京", "81.2.69.142", At(Hour14 + 431), false, At(Hour14 + 500)),
                new ArchiveRow("e2", "spotify:track:t", null, At(Hour14 + 999), true, null),
                new ArchiveRow("e\"3\\", "spotify:track:t", "2001:db8::1", At(Hour14 - 1), false, null),
            ],
            await ReadAsync(file));
    }

    [Fact]
    public async Task GivenNullIpsAndReceiveTimesBetweenKnownOnesOverTwoRowGroups_WhenWritten_ThenEveryRowReadsBackAsWritten()
    {
        // Nulls are not stored as values: a wrong pairing of values with rows, or a count carried into the next row
        // group, would shift the ips and receive times that follow a null.
        const int plays = ParquetPlayWriter.RowGroupRows + 7;
        var expected = new List<ArchiveRow>(plays);
        string file = _temp.Combine("plays.parquet");
        await using (var output = new ParquetPlayFileOutput(file))
        {
            for (int i = 0; i < plays; i++)
            {
                string? ip = i % 3 == 0 ? null : "10.0." + (i % 250) + "." + (i % 7);
                long? receivedAtMs = i % 5 < 2 ? null : Hour14 + i + 40;
                bool privateSession = i % 4 == 1;
                expected.Add(new ArchiveRow("e" + i, "spotify:track:" + (i % 11), ip, At(Hour14 + i), privateSession, receivedAtMs is long r ? At(r) : null));
                if (Add(output, "e" + i, Hour14 + i, ip, privateSession, receivedAtMs, "spotify:track:" + (i % 11)))
                {
                    await output.WriteBufferedAsync(CancellationToken.None);
                }
            }

            await output.CompleteAsync(CancellationToken.None);
        }

        await using ParquetReader reader = await ParquetReader.CreateAsync(file);
        Assert.Equal(2, reader.RowGroupCount);
        Assert.Equal(expected, await ReadAsync(file));
    }

    [Fact]
    public async Task GivenAnArchiveFile_WhenItsSchemaIsRead_ThenTheColumnsAreTheDesignsWithMillisecondUtcTimestampsAndNoUserId()
    {
        string file = _temp.Combine("plays.parquet");
        await using (var output = new ParquetPlayFileOutput(file))
        {
            Add(output, "e1", Hour14);
            await output.CompleteAsync(CancellationToken.None);
        }

        await using ParquetReader reader = await ParquetReader.CreateAsync(file);
        DataField[] fields = reader.Schema.GetDataFields();
        Assert.Equal(
            ["event_id string required", "track_id string required", "ip string nullable", "played_at DateTime required", "private_session Boolean nullable", "received_at DateTime nullable"],
            fields.Select(f => $"{f.Name} {(f.ClrType == typeof(ReadOnlyMemory<char>) ? "string" : f.ClrType.Name)} {(f.IsNullable ? "nullable" : "required")}"));
        foreach (DateTimeDataField timestamp in fields.OfType<DateTimeDataField>())
        {
            Assert.Equal(DateTimeFormat.Timestamp, timestamp.DateTimeFormat);
            Assert.Equal(DateTimeTimeUnit.Millis, timestamp.Unit);
            Assert.True(timestamp.IsAdjustedToUTC, timestamp.Name);
        }
    }

    [Fact]
    public async Task GivenMoreThanARowGroupOfPlays_WhenWritten_ThenTheFileHasSeveralRowGroupsAndEveryPlay()
    {
        const int plays = ParquetPlayWriter.RowGroupRows + 10;
        string file = _temp.Combine("plays.parquet");
        await using (var output = new ParquetPlayFileOutput(file))
        {
            for (int i = 0; i < plays; i++)
            {
                if (Add(output, "e" + i, Hour14 + i))
                {
                    await output.WriteBufferedAsync(CancellationToken.None);
                }
            }

            await output.CompleteAsync(CancellationToken.None);
        }

        await using ParquetReader reader = await ParquetReader.CreateAsync(file);
        Assert.Equal(2, reader.RowGroupCount);
        List<ArchiveRow> rows = await ReadAsync(file);
        Assert.Equal(plays, rows.Count);
        Assert.Equal("e" + (plays - 1), rows[^1].EventId);
    }

    [Fact]
    public async Task GivenPlaysAcrossMidnight_WhenWrittenAsTheArchiveLayout_ThenEachUtcHourHasItsOwnFileHoldingOnlyItsPlays()
    {
        long midnight = Hour14 + (10 * Hour); // 2026-11-27T00:00:00Z
        string root = _temp.Combine("archive");
        await using (var output = new HourPartitionedPlayOutput(root, "part-1.parquet"))
        {
            Add(output, "late-evening", midnight - 1);
            Add(output, "midnight", midnight);
            Add(output, "afternoon", Hour14 + 59_999);
            Add(output, "half-past-midnight", midnight + (Hour / 2));
            await output.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(
            ["dt=2026-11-26/hour=14/part-1.parquet", "dt=2026-11-26/hour=23/part-1.parquet", "dt=2026-11-27/hour=00/part-1.parquet"],
            AllFiles(root));
        Assert.Equal(["afternoon"], (await ReadAsync(Path.Combine(root, "dt=2026-11-26", "hour=14", "part-1.parquet"))).Select(r => r.EventId));
        Assert.Equal(["late-evening"], (await ReadAsync(Path.Combine(root, "dt=2026-11-26", "hour=23", "part-1.parquet"))).Select(r => r.EventId));
        Assert.Equal(["midnight", "half-past-midnight"], (await ReadAsync(Path.Combine(root, "dt=2026-11-27", "hour=00", "part-1.parquet"))).Select(r => r.EventId));
    }

    [Fact]
    public async Task GivenAnArchiveFileWrittenAgainUnderTheSameName_WhenComplete_ThenItReplacesTheFirstAndOtherFilesStay()
    {
        string root = _temp.Combine("archive");
        await WriteHourAsync(root, "a.parquet", "first");
        await WriteHourAsync(root, "b.parquet", "other");

        await WriteHourAsync(root, "a.parquet", "second");

        Assert.Equal(["dt=2026-11-26/hour=14/a.parquet", "dt=2026-11-26/hour=14/b.parquet"], AllFiles(root));
        Assert.Equal(["second"], (await ReadAsync(Path.Combine(root, "dt=2026-11-26", "hour=14", "a.parquet"))).Select(r => r.EventId));
    }

    [Fact]
    public async Task GivenAFileBeingWritten_WhenReplayLooksBeforeItIsComplete_ThenOnlyATempNameReplaySkipsExists()
    {
        const int plays = ParquetPlayWriter.RowGroupRows;
        string root = _temp.Combine("archive");
        await using var output = new HourPartitionedPlayOutput(root, "part.parquet");
        for (int i = 0; i < plays; i++)
        {
            Add(output, "e" + i, Hour14 + i);
        }

        await output.WriteBufferedAsync(CancellationToken.None);

        Assert.Equal(["dt=2026-11-26/hour=14/_tmp-part.parquet"], AllFiles(root));
        Assert.Empty(VisibleFiles(root));

        await output.CompleteAsync(CancellationToken.None);

        Assert.Equal(["dt=2026-11-26/hour=14/part.parquet"], AllFiles(root));
        Assert.Equal(["dt=2026-11-26/hour=14/part.parquet"], VisibleFiles(root));
    }

    [Fact]
    public async Task GivenAnOutputDisposedWithoutCompleting_WhenItHadWrittenRowGroups_ThenNoFileIsLeft()
    {
        string root = _temp.Combine("archive");
        await using (var output = new HourPartitionedPlayOutput(root, "part.parquet"))
        {
            for (int i = 0; i < ParquetPlayWriter.RowGroupRows; i++)
            {
                Add(output, "e" + i, Hour14 + i);
            }

            await output.WriteBufferedAsync(CancellationToken.None);
        }

        Assert.Empty(AllFiles(root));
    }

    private static async Task WriteHourAsync(string root, string fileName, string eventId)
    {
        await using var output = new HourPartitionedPlayOutput(root, fileName);
        Add(output, eventId, Hour14);
        await output.CompleteAsync(CancellationToken.None);
    }

    private static DateTime At(long epochMs) => DateTime.UnixEpoch.AddMilliseconds(epochMs);

    private static JsonObject ReadJson(string path) => JsonNode.Parse(File.ReadAllText(path, Encoding.UTF8))!.AsObject();
}
