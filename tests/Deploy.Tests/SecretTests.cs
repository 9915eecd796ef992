using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ListeningTogether.Deploy.Tests.Fixtures;

namespace ListeningTogether.Deploy.Tests;

/// <summary>Issue 6: the manifests reference secrets and never carry one.</summary>
[Collection(DeployCollection.Name)]
public sealed partial class SecretTests(DeployFixture deploy)
{
    public static TheoryData<string> Kustomizations => [DeployFixture.Base, .. DeployFixture.Overlays];

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void GivenAKustomization_WhenRendered_ThenItHoldsNoSecretObject(string kustomization)
    {
        Assert.Empty(deploy[kustomization].OfKind("Secret").Select(s => s.Text("metadata", "name")));
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void GivenAKustomization_WhenRendered_ThenNoConfigMapOrEnvironmentValueHoldsKeyMaterial(string kustomization)
    {
        Manifests manifests = deploy[kustomization];
        var problems = new List<string>();
        foreach (JsonObject configMap in manifests.OfKind("ConfigMap"))
        {
            foreach ((string key, string value) in configMap.Map("data"))
            {
                if (KeyMaterial().IsMatch(value))
                {
                    problems.Add($"ConfigMap {configMap.Text("metadata", "name")} {key} holds key material");
                }
            }
        }

        foreach (PodTemplate pod in manifests.PodTemplates)
        {
            foreach (JsonObject container in pod.Containers)
            {
                foreach (JsonObject env in container.Objects("env").Where(e => e.Text("value") is { } value && KeyMaterial().IsMatch(value)))
                {
                    problems.Add($"{pod.Id} container {container.Text("name")} env {env.Text("name")} holds key material");
                }
            }
        }

        Problems.AssertNone(problems);
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void GivenAKustomization_WhenRendered_ThenEveryCredentialSettingComesFromASecretOrSignsInWithAnIdentity(string kustomization)
    {
        Manifests manifests = deploy[kustomization];
        var problems = new List<string>();
        foreach ((PodTemplate pod, JsonObject container) in manifests.AppContainers)
        {
            foreach (EnvironmentVariable variable in ContainerEnvironment.Of(manifests, container))
            {
                bool credential = variable.Name.EndsWith("ConnectionString", StringComparison.OrdinalIgnoreCase)
                    || variable.Name.Contains("Password", StringComparison.OrdinalIgnoreCase)
                    || variable.Name.Contains("LicenseKey", StringComparison.OrdinalIgnoreCase);
                if (!credential || variable.Secret is not null)
                {
                    continue;
                }

                // A connection string may be a literal only when it signs in with Workload Identity (AuthType=azure).
                if (variable.Value is null || !IdentityConnectionString().IsMatch(variable.Value))
                {
                    problems.Add($"{pod.Id} {variable.Name} ({variable.Origin}) is a credential but not a Secret reference");
                }
            }
        }

        Problems.AssertNone(problems);
    }

    [GeneratedRegex(@"(AccessKey|SharedAccessKey|AccountKey|SharedAccessSignature|password|secret)\s*=|-----BEGIN|\bsig=", RegexOptions.IgnoreCase)]
    private static partial Regex KeyMaterial();

    [GeneratedRegex(@"^Endpoint=https://[^;]+;AuthType=azure(\.msi)?;(Version=[0-9.]+;)?$", RegexOptions.IgnoreCase)]
    private static partial Regex IdentityConnectionString();
}
