using System.Text.Json;
using System.Text.Unicode;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Eligibility;

namespace ListeningTogether.Pipeline.Decoding;

/// <summary>
/// Decodes one play record (a UTF-8 JSON object) without allocating: field names are matched as UTF-8, values
/// stay spans. Judges the record-level reasons in DESIGN.md's order: malformed, invalid event id, invalid track
/// id, invalid playedAt, private session, missing ip. Not thread-safe: one decoder per worker.
/// </summary>
public sealed class PlayDecoder
{
    /// <summary>Records longer than this are malformed.</summary>
    public const int MaxRecordBytes = 1 << 20;

    private byte[] _scratch = new byte[1024];
    private int _scratchUsed;

    private enum FieldState : byte
    {
        Missing,
        Null,
        WrongType,
        String,
        Number,
        True,
        False,
    }

    /// <summary>Decodes <paramref name="json"/>; returns <see cref="IneligibleReason.None"/> or the first failing reason.</summary>
    public IneligibleReason Decode(ReadOnlySpan<byte> json, out PlayFields fields)
    {
        fields = default;
        _scratchUsed = 0;
        if (json.Length > MaxRecordBytes || !Utf8.IsValid(json))
        {
            return IneligibleReason.Malformed;
        }

        FieldState eventId = FieldState.Missing, trackId = FieldState.Missing, ip = FieldState.Missing;
        FieldState playedAt = FieldState.Missing, privateSession = FieldState.Missing, userId = FieldState.Missing;
        ReadOnlySpan<byte> playedAtValue = default;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return IneligibleReason.Malformed;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("eventId"u8))
                {
                    reader.Read();
                    eventId = ReadString(ref reader, out fields.EventId);
                }
                else if (reader.ValueTextEquals("trackId"u8))
                {
                    reader.Read();
                    trackId = ReadString(ref reader, out fields.TrackId);
                }
                else if (reader.ValueTextEquals("ip"u8))
                {
                    reader.Read();
                    ip = ReadString(ref reader, out fields.Ip);
                }
                else if (reader.ValueTextEquals("playedAt"u8))
                {
                    reader.Read();
                    playedAt = ReadString(ref reader, out playedAtValue);
                    if (playedAt == FieldState.Number)
                    {
                        playedAtValue = reader.ValueSpan;
                    }
                }
                else if (reader.ValueTextEquals("privateSession"u8))
                {
                    reader.Read();
                    privateSession = Classify(reader.TokenType);
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("userId"u8))
                {
                    reader.Read();
                    userId = Classify(reader.TokenType);
                    reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            // Exactly one JSON value: anything after the object makes Read throw.
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return IneligibleReason.Malformed;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return IneligibleReason.Malformed;
        }

        if (userId is not (FieldState.Missing or FieldState.Null or FieldState.String)
            || ip is not (FieldState.Missing or FieldState.Null or FieldState.String)
            || privateSession is not (FieldState.Missing or FieldState.Null or FieldState.True or FieldState.False))
        {
            return IneligibleReason.Malformed;
        }

        IneligibleReason ids = RecordChecks.CheckIds(eventId == FieldState.String, fields.EventId, trackId == FieldState.String, fields.TrackId);
        if (ids != IneligibleReason.None)
        {
            return ids;
        }

        bool playedAtOk = playedAt switch
        {
            FieldState.String => PlayedAtParser.TryParseText(playedAtValue, out fields.PlayedAtMs),
            FieldState.Number => PlayedAtParser.TryParseEpochMillis(playedAtValue, out fields.PlayedAtMs),
            _ => false,
        };
        if (!playedAtOk)
        {
            return IneligibleReason.InvalidPlayedAt;
        }

        fields.HasPlayedAt = true;
        fields.PrivateSession = privateSession == FieldState.True;
        fields.HasIp = !fields.PrivateSession && ip == FieldState.String && !fields.Ip.IsEmpty;
        return RecordChecks.CheckSession(fields.PrivateSession, fields.HasIp);
    }

    private static FieldState Classify(JsonTokenType token) => token switch
    {
        JsonTokenType.Null => FieldState.Null,
        JsonTokenType.String => FieldState.String,
        JsonTokenType.Number => FieldState.Number,
        JsonTokenType.True => FieldState.True,
        JsonTokenType.False => FieldState.False,
        _ => FieldState.WrongType,
    };

    private FieldState ReadString(scoped ref Utf8JsonReader reader, out ReadOnlySpan<byte> value)
    {
        value = default;
        FieldState state = Classify(reader.TokenType);
        if (state == FieldState.String)
        {
            value = reader.ValueIsEscaped ? Unescape(ref reader) : reader.ValueSpan;
        }
        else
        {
            reader.Skip();
        }

        return state;
    }

    private ReadOnlySpan<byte> Unescape(scoped ref Utf8JsonReader reader)
    {
        int needed = reader.ValueSpan.Length;
        if (_scratchUsed + needed > _scratch.Length)
        {
            // Earlier spans keep the old array alive; only new values go to the new one.
            _scratch = new byte[Math.Max(_scratch.Length * 2, needed)];
            _scratchUsed = 0;
        }

        Span<byte> destination = _scratch.AsSpan(_scratchUsed, needed);
        int written = reader.CopyString(destination);
        _scratchUsed += written;
        return destination[..written];
    }
}
