using System.Text;
using System.Text.Json;

namespace ListeningTogether.Simulator.Tests;

internal static class Jsonl
{
    public static byte[] Encode(IEnumerable<SimulatedPlay> plays)
    {
        using var stream = new MemoryStream();
        using (var writer = new PlayJsonlWriter(stream))
        {
            foreach (var play in plays)
            {
                writer.Write(play);
            }
        }

        return stream.ToArray();
    }

    public static string[] Lines(byte[] jsonl)
    {
        string text = Encoding.UTF8.GetString(jsonl);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        return text[..^1].Split('\n');
    }

    /// <summary>DESIGN.md's malformed: not one JSON object, or an optional field (userId, ip, privateSession) of the wrong type.</summary>
    public static bool IsMalformed(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            return root.ValueKind != JsonValueKind.Object
                || WrongType(root, "userId", JsonValueKind.String)
                || WrongType(root, "ip", JsonValueKind.String)
                || (root.TryGetProperty("privateSession", out var session) && session.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null));
        }
        catch (JsonException)
        {
            return true;
        }
    }

    private static bool WrongType(JsonElement root, string name, JsonValueKind expected) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != expected && value.ValueKind != JsonValueKind.Null;
}
