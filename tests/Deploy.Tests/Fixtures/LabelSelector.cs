using System.Text.Json.Nodes;

namespace ListeningTogether.Deploy.Tests.Fixtures;

/// <summary>Kubernetes label selectors (matchLabels and matchExpressions), as the API server evaluates them.</summary>
public static class LabelSelector
{
    /// <summary>Whether <paramref name="selector"/> selects pods with <paramref name="labels"/>; an empty selector selects all.</summary>
    public static bool Matches(JsonObject selector, IReadOnlyDictionary<string, string> labels)
    {
        IReadOnlyDictionary<string, string> matchLabels = selector.Map("matchLabels");
        List<JsonObject> expressions = [.. selector.Objects("matchExpressions")];
        if (matchLabels.Count == 0 && expressions.Count == 0)
        {
            return true;
        }

        return matchLabels.All(l => labels.GetValueOrDefault(l.Key) == l.Value)
            && expressions.All(e => e.Text("operator") switch
            {
                "In" => labels.TryGetValue(e.Text("key")!, out string? v) && e.Texts("values").Contains(v),
                "NotIn" => !labels.TryGetValue(e.Text("key")!, out string? v) || !e.Texts("values").Contains(v),
                "Exists" => labels.ContainsKey(e.Text("key")!),
                "DoesNotExist" => !labels.ContainsKey(e.Text("key")!),
                _ => throw new InvalidDataException($"Unknown selector operator {e.Text("operator")}."),
            });
    }
}
