using System.Text.Json.Nodes;
using ListeningTogether.Deploy.Tests.Fixtures;

namespace ListeningTogether.Deploy.Tests;

/// <summary>Issue 6 and DESIGN.md: an overlay selects its transport and push kind through configuration only.</summary>
[Collection(DeployCollection.Name)]
public sealed class TransportSelectionTests(DeployFixture deploy)
{
    public static TheoryData<string, string, string> OverlayKinds => new()
    {
        { DeployFixture.GcpPubSub, "PubSub", "Redis" },
        { DeployFixture.AzureEventHubs, "EventHubs", "AzureSignalR" },
    };

    [Theory]
    [MemberData(nameof(OverlayKinds))]
    public void GivenAnOverlay_WhenRendered_ThenEveryStreamingStageUsesItsTransportAndTheSiteItsPushKind(string overlay, string transport, string push)
    {
        Manifests manifests = deploy[overlay];

        foreach (string workload in new[] { "lt-site", "lt-ingest", "lt-match" })
        {
            using StageSettings settings = StageSettings.Of(manifests, manifests.PodTemplates.Single(p => p.Name == workload).Spec.Objects("containers").Single());
            Assert.Equal(transport, settings.AsDeployed["Transport:Kind"]);
            Assert.Equal(workload == "lt-site" ? push : null, settings.AsDeployed.GetValueOrDefault("Push:Kind"));
        }
    }

    [Theory]
    [MemberData(nameof(OverlayKinds))]
    public void GivenAnOverlay_WhenComparedWithTheBase_ThenEveryStageRunsTheSameCommandAndArguments(string overlay, string transport, string push)
    {
        Manifests baseManifests = deploy[DeployFixture.Base];
        Manifests manifests = deploy[overlay];
        var problems = new List<string>();
        foreach (PodTemplate pod in baseManifests.PodTemplates)
        {
            PodTemplate? inOverlay = manifests.PodTemplates.SingleOrDefault(p => p.Id == pod.Id);
            if (inOverlay is null)
            {
                problems.Add($"{pod.Id} is missing from {overlay}");
                continue;
            }

            foreach (JsonObject container in pod.Containers)
            {
                JsonObject other = inOverlay.Containers.Single(c => c.Text("name") == container.Text("name"));
                foreach (string field in new[] { "command", "args" })
                {
                    if (!JsonNode.DeepEquals(container.At(field), other.At(field)))
                    {
                        problems.Add($"{pod.Id} container {container.Text("name")}: {field} differs from the base");
                    }
                }
            }
        }

        Problems.AssertNone(problems);
        Assert.NotEqual(transport, push);
    }

    [Theory]
    [MemberData(nameof(OverlayKinds))]
    public void GivenAnOverlay_WhenComparedWithTheBase_ThenOnlyTransportPushAndTheSitesEdgeSettingsDiffer(string overlay, string transport, string push)
    {
        Manifests baseManifests = deploy[DeployFixture.Base];
        Manifests manifests = deploy[overlay];
        var problems = new List<string>();
        foreach ((PodTemplate pod, JsonObject container) in baseManifests.AppContainers)
        {
            using StageSettings before = StageSettings.Of(baseManifests, container);
            using StageSettings after = StageSettings.Of(manifests, manifests.Pod(pod.Kind, pod.Name).Containers.Single(c => c.Text("name") == container.Text("name")));
            IEnumerable<string> changed = before.AsDeployed.Keys.Union(after.AsDeployed.Keys, StringComparer.OrdinalIgnoreCase)
                .Where(k => before.AsDeployed.GetValueOrDefault(k) != after.AsDeployed.GetValueOrDefault(k));
            foreach (string key in changed.Where(k => !k.StartsWith("Transport:", StringComparison.OrdinalIgnoreCase) && !k.StartsWith("Push:", StringComparison.OrdinalIgnoreCase) && !IsSiteEdgeSetting(pod, k)))
            {
                problems.Add($"{pod.Id}: {overlay} changes {key}, which is neither a transport nor a push setting nor the site's public host or proxies");
            }
        }

        Problems.AssertNone(problems);
        Assert.Equal(transport, manifests.ConfigMapData(ConfigMapOf(manifests, "lt-settings"))["LT__Transport__Kind"]);
        Assert.Equal(push, manifests.ConfigMapData(ConfigMapOf(manifests, "lt-site-settings"))["LT__Push__Kind"]);
    }

    /// <summary>What the cluster in front of the site decides: its public host and its load balancer or ingress.</summary>
    private static bool IsSiteEdgeSetting(PodTemplate pod, string key) =>
        pod.Name == "lt-site" && (key.Equals("AllowedHosts", StringComparison.OrdinalIgnoreCase)
            || key.StartsWith("Site:KnownProxies:", StringComparison.OrdinalIgnoreCase)
            || key.StartsWith("Site:KnownNetworks:", StringComparison.OrdinalIgnoreCase));

    private static string ConfigMapOf(Manifests manifests, string generatorName) =>
        manifests.OfKind("ConfigMap").Select(c => c.Text("metadata", "name")!).Single(n => n.StartsWith(generatorName + "-", StringComparison.Ordinal) && n.Length == generatorName.Length + 11);
}
