using System.Runtime.InteropServices;
using ListeningTogether.Replay.Output;
using ListeningTogether.Replay.Tests.Fixtures;
using ParquetSharp;
using ParquetSharp.Schema;

namespace ListeningTogether.Replay.Tests;

/// <summary>
/// Parquet strings are UTF-8 bytes that no writer is bound to get right: replay reads bytes that are not UTF-8
/// as text does, each bad sequence one U+FFFD, before counting code points and comparing event ids.
/// </summary>
[Collection(RealCityDatabaseCollection.Name)]
public sealed class ParquetUtf8Tests(RealCityDatabaseFixture database) : IDisposable
{
    private static readonly long PlayedAtMs = new DateTimeOffset(2026, 11, 26, 9, 0, 1, 500, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task GivenEventIdsThatAreNotUtf8_WhenReplayed_ThenEachBadSequenceIsOneReplacementCharacterForIdentityAndLength()
    {
        byte[][] eventIds =
        [
            [.. "e"u8, 0xFF],                         // "e\uFFFD"
            [.. "e"u8, 0xFE],                         // also "e\uFFFD": a redelivery of the play above
            [.. "f"u8, 0xC3],                         // "f\uFFFD" (a cut two-byte sequence)
            [.. Enumerable.Repeat((byte)'x', 127), 0xFF], // 128 code points: valid
            [.. Enumerable.Repeat((byte)'x', 128), 0xFF], // 129 code points: invalid_event_id
        ];
        string input = Write(_temp.Combine("in", "bytes.parquet"), eventIds);

        ReplaySummary summary = await Replays.RunAsync([input], _temp.Combine("out"), database.Cities);

        Assert.Equal(5, summary.InputRecords);
        Assert.Equal(1, summary.Ineligible["invalid_event_id"]);
        Assert.Equal(4, summary.EligibleRecords);
        Assert.Equal(3, summary.EligiblePlays);
        Assert.Equal(1, summary.DuplicateRecords);
    }

    /// <summary>A play file written with ParquetSharp's column writers, so ids can be any bytes under the String type.</summary>
    private static string Write(string path, byte[][] eventIds)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var schema = new GroupNode("schema", Repetition.Required,
        [
            new PrimitiveNode("event_id", Repetition.Optional, LogicalType.String(), PhysicalType.ByteArray),
            new PrimitiveNode("track_id", Repetition.Optional, LogicalType.String(), PhysicalType.ByteArray),
            new PrimitiveNode("ip", Repetition.Optional, LogicalType.String(), PhysicalType.ByteArray),
            new PrimitiveNode("played_at", Repetition.Required, LogicalType.Timestamp(true, TimeUnit.Millis), PhysicalType.Int64),
        ]);
        using WriterProperties properties = WriterProperties.GetDefaultWriterProperties();
        using var file = new ParquetFileWriter(path, schema, properties);
        using (RowGroupWriter rows = file.AppendRowGroup())
        {
            WriteStrings(rows, eventIds);
            WriteStrings(rows, [.. eventIds.Select(_ => "spotify:track:t1"u8.ToArray())]);
            WriteStrings(rows, [.. eventIds.Select(_ => "81.2.69.142"u8.ToArray())]);
            using var playedAt = (ColumnWriter<long>)rows.NextColumn();
            playedAt.WriteBatch([.. eventIds.Select(_ => PlayedAtMs)]);
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
