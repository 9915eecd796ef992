using System.Text.Json;
using ListeningTogether.Pipeline.Decoding;

namespace ListeningTogether.Replay.Range;

/// <summary>
/// The playedAt of a JSONL record that the decoder stopped reading before it (an invalid event or track id), so a
/// replay limited to a range can still tell whether the record belongs to it. Only such rare records come here.
/// </summary>
internal static class RecordPlayedAt
{
    public static bool TryRead(ReadOnlySpan<byte> json, out long playedAtMs)
    {
        playedAtMs = 0;
        bool found = false;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            Span<byte> text = stackalloc byte[64];
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isPlayedAt = reader.ValueTextEquals("playedAt"u8);
                reader.Read();
                if (!isPlayedAt)
                {
                    reader.Skip();
                    continue;
                }

                // Of a duplicated key the last one counts, as in the decoder.
                found = reader.TokenType switch
                {
                    JsonTokenType.String => reader.ValueSpan.Length <= text.Length
                        && PlayedAtParser.TryParseText(text[..reader.CopyString(text)], out playedAtMs),
                    JsonTokenType.Number => PlayedAtParser.TryParseEpochMillis(reader.ValueSpan, out playedAtMs),
                    _ => false,
                };
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return found;
    }
}
