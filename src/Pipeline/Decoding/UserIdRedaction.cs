using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ListeningTogether.Pipeline.Decoding;

/// <summary>
/// Removes user ids from a raw record before it is stored (dead letters hold input data, never user ids). A JSON
/// object is rewritten without its <c>userId</c> members; anything else has every <c>"userId": value</c> it
/// contains blanked textually, since it cannot be parsed.
/// </summary>
internal static partial class UserIdRedaction
{
    public static byte[] Redact(ReadOnlySpan<byte> record)
    {
        if (record.IndexOf("userId"u8) < 0 && record.IndexOf("\\u"u8) < 0)
        {
            return record.ToArray();
        }

        return TryRewrite(record) ?? RedactText(record);
    }

    private static byte[]? TryRewrite(ReadOnlySpan<byte> record)
    {
        try
        {
            var reader = new Utf8JsonReader(record);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var output = new ArrayBufferWriter<byte>(record.Length);
            using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    bool isUserId = reader.ValueTextEquals("userId"u8);
                    string name = reader.GetString()!;
                    reader.Read();
                    if (isUserId)
                    {
                        reader.Skip();
                        continue;
                    }

                    writer.WritePropertyName(name);
                    using JsonDocument value = JsonDocument.ParseValue(ref reader);
                    value.WriteTo(writer);
                }

                if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                {
                    return null;
                }

                writer.WriteEndObject();
            }

            return output.WrittenSpan.ToArray();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static byte[] RedactText(ReadOnlySpan<byte> record)
    {
        string text = Encoding.UTF8.GetString(record);
        try
        {
            return Encoding.UTF8.GetBytes(Member().Replace(text, m => IsUserId(m.Groups["name"].Value) ? $"\"{m.Groups["name"].Value}\":null" : m.Value));
        }
        catch (RegexMatchTimeoutException)
        {
            return "[withheld: the user id could not be removed]"u8.ToArray();
        }
    }

    /// <summary>Whether a member name, as written (escapes and all), reads "userId".</summary>
    private static bool IsUserId(string written)
    {
        if (!written.Contains('\\', StringComparison.Ordinal))
        {
            return written == "userId";
        }

        try
        {
            return JsonSerializer.Deserialize<string>($"\"{written}\"") == "userId";
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // A member name followed by its value: a string (possibly cut off), or a number, literal or the rest of a cut record.
    [GeneratedRegex("""
        "(?<name>(?:[^"\\]|\\.)*)"\s*:\s*(?:"(?:[^"\\]|\\.)*"?|[^,}\]\s"]*)
        """, RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Member();
}
