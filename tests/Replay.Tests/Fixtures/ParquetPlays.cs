using System.Globalization;
using System.Text.Json.Nodes;
using Parquet;
using Parquet.Schema;

namespace ListeningTogether.Replay.Tests.Fixtures;

/// <summary>A play row of a Parquet archive; <see cref="PlayedAt"/> is UTC.</summary>
public sealed record ParquetPlay(string? EventId, string? TrackId, string? UserId, string? Ip, DateTime? PlayedAt, bool? PrivateSession)
{
    /// <summary>The row of a JSONL play record whose fields are all strings, bools or nulls (as the example plays are).</summary>
    public static ParquetPlay FromJsonl(string line)
    {
        JsonObject play = JsonNode.Parse(line)!.AsObject();
        string? playedAt = play["playedAt"]?.GetValue<string>();
        return new ParquetPlay(
            play["eventId"]?.GetValue<string>(),
            play["trackId"]?.GetValue<string>(),
            play["userId"]?.GetValue<string>(),
            play["ip"]?.GetValue<string>(),
            playedAt is null ? null : DateTimeOffset.Parse(playedAt, CultureInfo.InvariantCulture).UtcDateTime,
            play["privateSession"]?.GetValue<bool>());
    }
}

/// <summary>Writes play rows as Parquet files the way other writers do: any timestamp encoding, extra columns, many row groups.</summary>
public static class ParquetPlays
{
    /// <summary>The example plays as rows.</summary>
    public static ParquetPlay[] Examples() =>
        [.. File.ReadLines(TestData.Example("plays.jsonl")).Select(ParquetPlay.FromJsonl)];

    /// <summary>The played_at column in one of the encodings writers use: millis-utc, micros-utc, nanos-local (not UTC-adjusted) or int96.</summary>
    public static DateTimeDataField PlayedAtField(string encoding) => encoding switch
    {
        "millis-utc" => new DateTimeDataField("played_at", DateTimeFormat.Timestamp, true, DateTimeTimeUnit.Millis, true),
        "micros-utc" => new DateTimeDataField("played_at", DateTimeFormat.Timestamp, true, DateTimeTimeUnit.Micros, true),
        "nanos-local" => new DateTimeDataField("played_at", DateTimeFormat.Timestamp, false, DateTimeTimeUnit.Nanos, true),
        "int96" => new DateTimeDataField("played_at", DateTimeFormat.Impala, true, null, true),
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown timestamp encoding."),
    };

    /// <summary>
    /// Writes <paramref name="plays"/> with <c>played_at</c> as <paramref name="playedAt"/> (say Timestamp millis, nanos
    /// not UTC-adjusted, or Impala INT96), a <c>user_id</c> column between the others, <paramref name="rowsPerGroup"/> rows a group.
    /// </summary>
    public static Task<string> WriteAsync(string path, IReadOnlyList<ParquetPlay> plays, DateTimeDataField playedAt, int rowsPerGroup) =>
        WriteGroupsAsync(path, [.. plays.Chunk(rowsPerGroup)], playedAt);

    /// <summary>As <see cref="WriteAsync"/>, one row group for each of <paramref name="groups"/>.</summary>
    public static async Task<string> WriteGroupsAsync(string path, IReadOnlyList<IReadOnlyList<ParquetPlay>> groups, DateTimeDataField playedAt)
    {
        var eventId = new DataField<string>("event_id", true);
        var trackId = new DataField<string>("track_id", true);
        var userId = new DataField<string>("user_id", true);
        var ip = new DataField<string>("ip", true);
        var privateSession = new DataField<bool?>("private_session", true);
        var receivedAt = new DateTimeDataField("received_at", DateTimeFormat.Timestamp, true, DateTimeTimeUnit.Millis, true);
        var schema = new ParquetSchema(eventId, trackId, userId, ip, playedAt, privateSession, receivedAt);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using FileStream stream = File.Create(path);
        await using ParquetWriter writer = await ParquetWriter.CreateAsync(schema, stream);
        foreach (IReadOnlyList<ParquetPlay> group in groups)
        {
            using ParquetRowGroupWriter rows = writer.CreateRowGroup();
            await rows.WriteAsync(eventId, group.Select(p => p.EventId).ToArray()!);
            await rows.WriteAsync(trackId, group.Select(p => p.TrackId).ToArray()!);
            await rows.WriteAsync(userId, group.Select(p => p.UserId).ToArray()!);
            await rows.WriteAsync(ip, group.Select(p => p.Ip).ToArray()!);
            await rows.WriteAsync<DateTime>(playedAt, group.Select(p => p.PlayedAt).ToArray());
            await rows.WriteAsync<bool>(privateSession, group.Select(p => p.PrivateSession).ToArray());
            await rows.WriteAsync<DateTime>(receivedAt, group.Select(p => (DateTime?)new DateTime(2026, 11, 26, 10, 0, 0, DateTimeKind.Utc)).ToArray());
        }

        return path;
    }
}
