using System.Text.Json.Nodes;

namespace ListeningTogether.Deploy.Tests.Fixtures;

/// <summary>Short reads of rendered manifests: <c>deployment.Text("spec", "template", "metadata", "name")</c>.</summary>
public static class JsonPaths
{
    public static JsonNode? At(this JsonNode? node, params string[] path)
    {
        foreach (string step in path)
        {
            node = node is JsonObject o && o.TryGetPropertyValue(step, out JsonNode? child) ? child : null;
        }

        return node;
    }

    public static string? Text(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonValue value ? value.ToString() : null;

    public static JsonObject? Child(this JsonNode? node, params string[] path) => node.At(path) as JsonObject;

    public static IEnumerable<JsonObject> Objects(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonArray array ? array.OfType<JsonObject>() : [];

    public static IEnumerable<string> Texts(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonArray array ? array.Select(item => item?.ToString() ?? string.Empty) : [];

    /// <summary>A map of strings (labels, annotations, ConfigMap data); empty when absent.</summary>
    public static IReadOnlyDictionary<string, string> Map(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonObject map
            ? map.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? string.Empty, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
