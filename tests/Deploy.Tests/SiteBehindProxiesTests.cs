using System.Net;
using System.Text.Json.Nodes;
using ListeningTogether.Deploy.Tests.Fixtures;

namespace ListeningTogether.Deploy.Tests;

/// <summary>
/// Issue 12: the site behind the cluster's load balancer. Viewers reach only the site port through the Service;
/// /metrics, /healthz and /readyz are on the management port; the per-address limits count real clients because
/// the overlays name their proxies, and host filtering knows the public host.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class SiteBehindProxiesTests(DeployFixture deploy)
{
    public static TheoryData<string> Kustomizations => [DeployFixture.Base, .. DeployFixture.Overlays];

    public static TheoryData<string> Overlays => [.. DeployFixture.Overlays];

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void GivenAKustomization_WhenRendered_ThenServicesOfTheSiteExposeOnlyItsSitePort(string kustomization)
    {
        Manifests manifests = deploy[kustomization];
        PodTemplate site = manifests.Pod("Deployment", "lt-site");
        Dictionary<string, string> containerPorts = site.Spec.Objects("containers").Single().Objects("ports")
            .ToDictionary(p => p.Text("name")!, p => p.Text("containerPort")!);
        List<JsonObject> services = [.. manifests.OfKind("Service").Where(s => s.Map("spec", "selector") is { Count: > 0 } selector
            && selector.All(label => site.Labels.GetValueOrDefault(label.Key) == label.Value))];

        Assert.Equal(["lt-site"], services.Select(s => s.Text("metadata", "name")));
        Assert.Equal(["8080"], services.SelectMany(s => s.Objects("spec", "ports")).Select(p => containerPorts.GetValueOrDefault(p.Text("targetPort")!, p.Text("targetPort")!)));
        Assert.Equal("9090", containerPorts["management"]);
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void GivenAKustomization_WhenRendered_ThenTheSiteKeepsTheDefaultPerAddressLimits(string kustomization)
    {
        Manifests manifests = deploy[kustomization];
        using StageSettings settings = StageSettings.Of(manifests, manifests.Pod("Deployment", "lt-site").Spec.Objects("containers").Single());

        Assert.DoesNotContain(settings.AsDeployed.Keys, key => key.StartsWith("Site:MaxConnect", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void GivenAnOverlay_WhenRendered_ThenTheSiteNamesItsProxiesAndItsPublicHost(string overlay)
    {
        Manifests manifests = deploy[overlay];
        using StageSettings settings = StageSettings.Of(manifests, manifests.Pod("Deployment", "lt-site").Spec.Objects("containers").Single());
        List<string> proxies = [.. settings.AsDeployed.Where(s => s.Key.StartsWith("Site:KnownProxies:", StringComparison.OrdinalIgnoreCase)).Select(s => s.Value)];
        List<string> networks = [.. settings.AsDeployed.Where(s => s.Key.StartsWith("Site:KnownNetworks:", StringComparison.OrdinalIgnoreCase)).Select(s => s.Value)];

        Assert.NotEmpty(proxies.Concat(networks));
        Assert.All(proxies, p => Assert.True(IPAddress.TryParse(p, out _), p));
        Assert.All(networks, n => Assert.True(IPNetwork.TryParse(n, out _), n));
        string allowedHosts = settings.AsDeployed["AllowedHosts"];
        Assert.DoesNotContain("*", allowedHosts, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenTheGcpOverlay_WhenRendered_ThenTheLoadBalancerChecksReadyzOnTheManagementPortAndMayReachIt()
    {
        Manifests gcp = deploy[DeployFixture.GcpPubSub];
        JsonObject healthCheck = gcp.Get("BackendConfig", "lt-site").Child("spec", "healthCheck")!;
        List<JsonObject> rules = [.. gcp.OfKind("NetworkPolicy")
            .Where(p => LabelSelector.Matches(p.Child("spec", "podSelector")!, gcp.Pod("Deployment", "lt-site").Labels))
            .SelectMany(p => p.Objects("spec", "ingress"))
            .Where(r => r.Objects("from").Any(f => f.Text("ipBlock", "cidr") == "35.191.0.0/16"))];

        Assert.Equal(("/readyz", "9090"), (healthCheck.Text("requestPath"), healthCheck.Text("port")));
        Assert.Equal(["9090"], rules.SelectMany(r => r.Objects("ports")).Select(p => p.Text("port")));
    }
}
