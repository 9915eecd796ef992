using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ListeningTogether.Deploy.Tests.Fixtures;

/// <summary>
/// The environment a container starts with, as the kubelet builds it: <c>envFrom</c> ConfigMaps first, then
/// <c>env</c> entries in order, each <c>$(NAME)</c> in a value replaced by a variable defined before it.
/// Downward-API fields take the values of an example pod; Secret references stay references.
/// </summary>
public static partial class ContainerEnvironment
{
    public const string SettingPrefix = "LT__";

    /// <summary>Field values of an example pod: its name and, for StatefulSet pods, its ordinal label.</summary>
    public static readonly IReadOnlyDictionary<string, string> ExamplePodFields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["metadata.name"] = "lt-example-0",
        ["metadata.namespace"] = "listening-together",
        ["metadata.labels['apps.kubernetes.io/pod-index']"] = "0",
    };

    public static IReadOnlyList<EnvironmentVariable> Of(Manifests manifests, JsonObject container, IReadOnlyDictionary<string, string>? podFields = null)
    {
        podFields ??= ExamplePodFields;
        var variables = new Dictionary<string, EnvironmentVariable>(StringComparer.Ordinal);
        foreach (JsonObject source in container.Objects("envFrom"))
        {
            string configMap = source.Text("configMapRef", "name")
                ?? throw new InvalidDataException($"{container.Text("name")}: envFrom other than a ConfigMap ({source.ToJsonString()}).");
            foreach ((string name, string value) in manifests.ConfigMapData(configMap))
            {
                variables[name] = new EnvironmentVariable(name, value, $"ConfigMap {configMap}");
            }
        }

        foreach (JsonObject entry in container.Objects("env"))
        {
            string name = entry.Text("name")!;
            if (entry.At("value") is not null)
            {
                variables[name] = new EnvironmentVariable(name, Expand(entry.Text("value")!, variables), "env");
            }
            else if (entry.Child("valueFrom", "secretKeyRef") is { } secret)
            {
                variables[name] = new EnvironmentVariable(name, null, "env") { Secret = $"{secret.Text("name")}/{secret.Text("key")}" };
            }
            else if (entry.Text("valueFrom", "fieldRef", "fieldPath") is { } field)
            {
                string value = podFields.TryGetValue(field, out string? v) ? v : throw new InvalidDataException($"{container.Text("name")}: env {name} reads the field {field}, which these tests give no example value.");
                variables[name] = new EnvironmentVariable(name, value, "env") { FieldPath = field };
            }
            else
            {
                throw new InvalidDataException($"{container.Text("name")}: env {name} has a source these tests do not know ({entry.ToJsonString()}).");
            }
        }

        return [.. variables.Values];
    }

    /// <summary>The <c>Section:Key</c> setting an <c>LT__Section__Key</c> variable gives (as AddEnvironmentVariables("LT__") reads it).</summary>
    public static string? SettingKey(string variableName) =>
        variableName.StartsWith(SettingPrefix, StringComparison.Ordinal)
            ? variableName[SettingPrefix.Length..].Replace("__", ":", StringComparison.Ordinal)
            : null;

    private static string Expand(string value, Dictionary<string, EnvironmentVariable> defined) =>
        Reference().Replace(value, m =>
            m.Groups[1].Success ? "$"
            : defined.TryGetValue(m.Groups[2].Value, out EnvironmentVariable? v) && v.Value is not null ? v.Value
            : m.Value);

    [GeneratedRegex(@"(\$\$)|\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();
}
