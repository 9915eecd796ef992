using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Replay.Archive;
using Parquet;
using Parquet.Schema;

namespace ListeningTogether.Replay.Tests.Fixtures;

/// <summary>One row of a Parquet play archive file, every column read back.</summary>
public sealed record ArchiveRow(string EventId, string TrackId, string? Ip, DateTime PlayedAt, bool? PrivateSession, DateTime? ReceivedAt)
{
    public long PlayedAtMs => (long)(PlayedAt - DateTime.UnixEpoch).TotalMilliseconds;
}

/// <summary>Puts plays into the archive writers the way the pipeline does, and reads archive files back with Parquet.Net.</summary>
public static class ArchiveRows
{
    public const long Hour = 3_600_000;

    /// <summary>2026-11-26T14:00:00Z.</summary>
    public const long Hour14 = 1_795_701_600_000;

    /// <summary>
    /// Decodes each JSONL record with the pipeline's decoder and adds those with a valid playedAt to
    /// <paramref name="output"/>, as the streaming sink archives received messages; returns how many were left out.
    /// </summary>
    public static async Task<int> AddJsonlAsync(IParquetPlayOutput output, IEnumerable<string> lines)
    {
        var decoder = new PlayDecoder();
        int left = 0;
        foreach (string line in lines.Where(l => !string.IsNullOrWhiteSpace(l)))
        {
            switch (TryAdd(decoder, Encoding.UTF8.GetBytes(line), output))
            {
                case null:
                    left++;
                    break;
                case true:
                    await output.WriteBufferedAsync(CancellationToken.None);
                    break;
            }
        }

        return left;
    }

    /// <summary>Appends one play built from strings; returns its position.</summary>
    public static long Append(IPlayArchive archive, string eventId, long playedAtMs, string? ip = "81.2.69.142", bool privateSession = false, long? receivedAtMs = null, string trackId = "spotify:track:t") =>
        archive.Append(new ArchivedPlay(
            Encoding.UTF8.GetBytes(eventId),
            Encoding.UTF8.GetBytes(trackId),
            ip is null ? [] : Encoding.UTF8.GetBytes(ip),
            playedAtMs,
            privateSession,
            receivedAtMs));

    public static bool Add(IParquetPlayOutput output, string eventId, long playedAtMs, string? ip = "81.2.69.142", bool privateSession = false, long? receivedAtMs = null, string trackId = "spotify:track:t") =>
        output.Add(new ArchivedPlay(
            Encoding.UTF8.GetBytes(eventId),
            Encoding.UTF8.GetBytes(trackId),
            ip is null ? [] : Encoding.UTF8.GetBytes(ip),
            playedAtMs,
            privateSession,
            receivedAtMs));

    /// <summary>Every row of a Parquet play file, in file order.</summary>
    public static async Task<List<ArchiveRow>> ReadAsync(string path)
    {
        await using ParquetReader reader = await ParquetReader.CreateAsync(path);
        DataField[] fields = reader.Schema.GetDataFields();
        Assert.Equal(["event_id", "track_id", "ip", "played_at", "private_session", "received_at"], fields.Select(f => f.Name));
        var rows = new List<ArchiveRow>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
            int n = checked((int)group.RowCount);
            string?[] eventIds = new string?[n], trackIds = new string?[n], ips = new string?[n];
            DateTime?[] playedAt = new DateTime?[n], receivedAt = new DateTime?[n];
            bool?[] privateSession = new bool?[n];
            await group.ReadAsync(fields[0], eventIds.AsMemory());
            await group.ReadAsync(fields[1], trackIds.AsMemory());
            await group.ReadAsync(fields[2], ips.AsMemory());
            await group.ReadAsync<DateTime>(fields[3], playedAt.AsMemory());
            await group.ReadAsync<bool>(fields[4], privateSession.AsMemory());
            await group.ReadAsync<DateTime>(fields[5], receivedAt.AsMemory());
            for (int i = 0; i < n; i++)
            {
                rows.Add(new ArchiveRow(eventIds[i]!, trackIds[i]!, ips[i], playedAt[i]!.Value, privateSession[i], receivedAt[i]));
            }
        }

        return rows;
    }

    /// <summary>Every visible Parquet file under <paramref name="root"/> (as replay would find them), relative, '/'-separated.</summary>
    public static string[] VisibleFiles(string root) =>
        [.. Input.InputFiles.Expand([root]).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))];

    /// <summary>Every file under <paramref name="root"/>, relative, '/'-separated, sorted.</summary>
    public static string[] AllFiles(string root) =>
        Directory.Exists(root)
            ? [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal)]
            : [];

    /// <returns>null when the record has no valid playedAt (not archived), else whether the output wants a write.</returns>
    private static bool? TryAdd(PlayDecoder decoder, byte[] json, IParquetPlayOutput output)
    {
        decoder.Decode(json, out PlayFields fields);
        return fields.HasPlayedAt
            ? output.Add(new ArchivedPlay(fields.EventId, fields.TrackId, fields.Ip, fields.PlayedAtMs, fields.PrivateSession, null))
            : null;
    }
}
