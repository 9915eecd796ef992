namespace ListeningTogether.Deploy.Tests.Fixtures;

/// <summary>One environment variable of a container: a literal (from a ConfigMap or the manifest) or a reference.</summary>
public sealed record EnvironmentVariable(string Name, string? Value, string Origin)
{
    /// <summary><c>secretName/key</c> when the value comes from a Secret.</summary>
    public string? Secret { get; init; }

    /// <summary>The downward API field the value comes from (<c>metadata.name</c>, a label...).</summary>
    public string? FieldPath { get; init; }
}
