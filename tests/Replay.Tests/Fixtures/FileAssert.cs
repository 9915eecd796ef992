using System.Text;
using System.Text.Json.Nodes;

namespace ListeningTogether.Replay.Tests.Fixtures;

/// <summary>Comparisons of output files that show the first difference.</summary>
public static class FileAssert
{
    /// <summary>Byte-identical files; a difference is shown as the first differing line.</summary>
    public static void SameBytes(string expectedPath, string actualPath)
    {
        string[] expected = File.ReadAllLines(expectedPath);
        string[] actual = File.ReadAllLines(actualPath);
        for (int i = 0; i < Math.Min(expected.Length, actual.Length); i++)
        {
            Assert.True(expected[i] == actual[i], $"{Path.GetFileName(actualPath)} line {i + 1} differs:\nexpected {expected[i]}\nactual   {actual[i]}");
        }

        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(File.ReadAllBytes(expectedPath), File.ReadAllBytes(actualPath));
    }

    public static JsonObject ReadJson(string path) => JsonNode.Parse(File.ReadAllText(path, Encoding.UTF8))!.AsObject();

    /// <summary>The named keys of two JSON objects are deeply equal.</summary>
    public static void SameKeys(JsonObject expected, JsonObject actual, params string[] keys)
    {
        foreach (string key in keys)
        {
            Assert.True(
                JsonNode.DeepEquals(expected[key], actual[key]),
                $"\"{key}\": expected {expected[key]?.ToJsonString()}, actual {actual[key]?.ToJsonString()}");
        }
    }
}
