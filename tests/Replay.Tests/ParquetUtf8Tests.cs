using System.Runtime.InteropServices;
using ListeningTogether.Replay.Output.Summary;
using ListeningTogether.Replay.Tests.Fixtures;
using ParquetSharp;
using ParquetSharp.Schema;

namespace ListeningTogether.Replay.Tests;

/// <summary>
/// Parquet strings are UTF-8 bytes that no writer is bound to get right, and timestamps are numbers that can say any
/// year. A Parquet record gets the verdict its JSONL twin would (DESIGN.md "Play event"): bytes that are not UTF-8 in
/// event_id, track_id or ip make it <c>malformed</c>, never U+FFFD; a timestamp past year 9999 or before year 1 makes it
/// <c>invalid_played_at</c> and never fails its row group.
/// </summary>
[Collection(RealCityDatabaseCollection.Name)]
public sealed class ParquetUtf8Tests(RealCityDatabaseFixture database) : IDisposable
{
    private static readonly long PlayedAtMs = new DateTimeOffset(2026, 11, 26, 9, 0, 1, 500, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task GivenIdsThatAreNotUtf8_WhenReplayed_ThenTheirRecordsAreMalformedAndValidMultiByteIdsCountCodePoints()
    {
        byte[][] eventIds =
        [
            [.. "e"u8, 0xFF],                                     // not UTF-8: malformed
            [.. "f"u8, 0xC3],                                     // a cut two-byte sequence: malformed
            [.. Enumerable.Repeat((byte)'x', 300), 0xFF],          // malformed comes before the length check
            [.. Enumerable.Repeat((byte)'x', 127), .. "é"u8],     // 128 code points in 129 bytes: valid
            [.. Enumerable.Repeat((byte)'x', 128), .. "é"u8],     // 129 code points: invalid_event_id
            [.. "g"u8],                                            // valid
        ];
        string input = Write(_temp.Combine("in", "bytes.parquet"), eventIds);

        ReplaySummary summary = await Replays.RunAsync([input], _temp.Combine("out"), database.Cities);

        Assert.Equal(6, summary.InputRecords);
        Assert.Equal(3, summary.Ineligible["malformed"]);
        Assert.Equal(1, summary.Ineligible["invalid_event_id"]);
        Assert.Equal(2, summary.EligibleRecords);
    }

    [Fact]
    public async Task GivenATrackIdOrAnAddressThatIsNotUtf8_WhenReplayed_ThenItsRecordIsMalformedLikeItsJsonlTwin()
    {
        string input = Write(
            _temp.Combine("in", "bytes.parquet"),
            eventIds: ["a"u8.ToArray(), "b"u8.ToArray(), "c"u8.ToArray()],
            trackIds: [[.. "spotify:track:"u8, 0xC0, 0x80], "spotify:track:t1"u8.ToArray(), "spotify:track:t1"u8.ToArray()],
            ips: ["81.2.69.142"u8.ToArray(), [.. "81.2.69.14"u8, 0xFF], "81.2.69.142"u8.ToArray()]);

        ReplaySummary summary = await Replays.RunAsync([input], _temp.Combine("out"), database.Cities);

        Assert.Equal(2, summary.Ineligible["malformed"]);
        Assert.Equal(0, summary.Ineligible["ip_invalid"]);
        Assert.Equal(1, summary.EligibleRecords);
    }

    [Theory]
    [InlineData(TimeUnit.Millis, 253_402_300_800_000L)]                 // 10000-01-01
    [InlineData(TimeUnit.Millis, long.MaxValue)]
    [InlineData(TimeUnit.Millis, -62_135_596_800_001L)]                 // just before year 1
    [InlineData(TimeUnit.Micros, 253_402_300_800_000_000L)]
    [InlineData(TimeUnit.Micros, long.MinValue)]
    [InlineData(TimeUnit.Nanos, long.MaxValue)]                          // 2262, in range of a long, out of DESIGN's
    public async Task GivenATimestampFarOutOfRange_WhenReplayed_ThenOnlyItsRecordIsInvalidPlayedAt(TimeUnit unit, long farValue)
    {
        long scale = unit switch { TimeUnit.Millis => 1, TimeUnit.Micros => 1000, _ => 1_000_000 };
        string input = Write(
            _temp.Combine("in", "far.parquet"),
            eventIds: ["a"u8.ToArray(), "b"u8.ToArray(), "c"u8.ToArray()],
            ips: ["81.2.69.142"u8.ToArray(), "89.160.20.112"u8.ToArray(), "81.2.69.142"u8.ToArray()],
            playedAt: [PlayedAtMs * scale, PlayedAtMs * scale, farValue],
            unit: unit);

        ReplaySummary summary = await Replays.RunAsync([input], _temp.Combine("out"), database.Cities);

        Assert.Equal(3, summary.InputRecords);
        Assert.Equal(1, summary.Ineligible["invalid_played_at"]);
        Assert.Equal(2, summary.EligibleRecords);
        Assert.Equal(1, summary.CoPlays);
    }

    /// <summary>A play file written with ParquetSharp's column writers, so ids can be any bytes under the String type and times any number.</summary>
    private static string Write(
        string path,
        byte[][] eventIds,
        byte[][]? trackIds = null,
        byte[][]? ips = null,
        long[]? playedAt = null,
        TimeUnit unit = TimeUnit.Millis)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var schema = new GroupNode("schema", Repetition.Required,
        [
            new PrimitiveNode("event_id", Repetition.Optional, LogicalType.String(), PhysicalType.ByteArray),
            new PrimitiveNode("track_id", Repetition.Optional, LogicalType.String(), PhysicalType.ByteArray),
            new PrimitiveNode("ip", Repetition.Optional, LogicalType.String(), PhysicalType.ByteArray),
            new PrimitiveNode("played_at", Repetition.Required, LogicalType.Timestamp(true, unit), PhysicalType.Int64),
        ]);
        using WriterProperties properties = WriterProperties.GetDefaultWriterProperties();
        using var file = new ParquetFileWriter(path, schema, properties);
        using (RowGroupWriter rows = file.AppendRowGroup())
        {
            WriteStrings(rows, eventIds);
            WriteStrings(rows, trackIds ?? [.. eventIds.Select(_ => "spotify:track:t1"u8.ToArray())]);
            WriteStrings(rows, ips ?? [.. eventIds.Select(_ => "81.2.69.142"u8.ToArray())]);
            using var times = (ColumnWriter<long>)rows.NextColumn();
            times.WriteBatch(playedAt ?? [.. eventIds.Select(_ => PlayedAtMs)]);
        }

        file.Close();
        return path;
    }

    private static void WriteStrings(RowGroupWriter rows, byte[][] values)
    {
        GCHandle[] pins = [.. values.Select(v => GCHandle.Alloc(v, GCHandleType.Pinned))];
        try
        {
            using var column = (ColumnWriter<ByteArray>)rows.NextColumn();
            short[] present = [.. values.Select(_ => (short)1)];
            column.WriteBatch(values.Length, present, null, [.. pins.Select((p, i) => new ByteArray(p.AddrOfPinnedObject(), values[i].Length))]);
        }
        finally
        {
            foreach (GCHandle pin in pins)
            {
                pin.Free();
            }
        }
    }
}
