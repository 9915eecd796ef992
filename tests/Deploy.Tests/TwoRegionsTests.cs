using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ListeningTogether.Deploy.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Deploy.Tests;

/// <summary>
/// DESIGN.md "One world view", issue 15: two regions sharing one results topic (deploy/overlays/gcp-pubsub-two-regions).
/// The first region runs the whole pipeline and declares the project's topics and rights; the second runs site
/// replicas only. Every site replica of either region reads the one results topic through a subscription of its own,
/// so both regions show the same co-plays.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed partial class TwoRegionsTests(DeployFixture deploy)
{
    /// <summary>Each region's most site replicas (deploy/README.md "Sizing": 30 for 100,000 viewers, half each).</summary>
    private const int SiteReplicasPerRegion = 15;

    public static TheoryData<string> Regions => [DeployFixture.GcpFirstRegion, DeployFixture.GcpSecondRegion];

    private Manifests First => deploy[DeployFixture.GcpFirstRegion];

    private Manifests Second => deploy[DeployFixture.GcpSecondRegion];

    [Fact]
    public void GivenTwoRegions_WhenRendered_ThenEveryRegionsSiteReadsTheOneResultsTopicThroughSubscriptionsNamedAfterItsRegion()
    {
        string results = Setting(First, "lt-match", "Transport:PubSub:ResultsTopic");
        var prefixes = new List<string>();
        foreach (string region in new[] { DeployFixture.GcpFirstRegion, DeployFixture.GcpSecondRegion })
        {
            Manifests manifests = deploy[region];
            Assert.Equal("PubSub", Setting(manifests, "lt-site", "Transport:Kind"));
            Assert.Equal(Setting(First, "lt-match", "Transport:PubSub:ProjectId"), Setting(manifests, "lt-site", "Transport:PubSub:ProjectId"));
            Assert.Equal(results, Setting(manifests, "lt-site", "Transport:PubSub:ResultsTopic"));
            prefixes.Add(Setting(manifests, "lt-site", "Transport:PubSub:ResultsSubscription"));
        }

        // Subscriptions are the project's and pod names only a cluster's: a prefix per region keeps them apart.
        Assert.Equal(["coplays-site-europe-west1", "coplays-site-us-east1"], prefixes);
        Assert.Contains(First.OfKind("PubSubTopic"), t => t.Text("metadata", "name") == results);
        Assert.DoesNotContain(First.OfKind("PubSubSubscription"), s => s.Text("spec", "topicRef", "name") == results);
    }

    [Fact]
    public void GivenTheSecondRegion_WhenRendered_ThenItRunsSiteReplicasOnlyAndDeclaresNothingOfTheProject()
    {
        Assert.Equal(["Deployment/lt-site"], Second.PodTemplates.Select(p => p.Id));
        Assert.Empty(Second.Objects.Where(o => o.Text("apiVersion")!.Contains("cnrm.cloud.google.com/", StringComparison.Ordinal)).Select(Id));
        Assert.Null(Second.Find("PersistentVolumeClaim", "lt-data"));

        // The first region's pipeline is all there, with the topics and the rights of both regions' sites.
        Assert.Equal(["Deployment/lt-ingest", "Deployment/lt-site", "StatefulSet/lt-match"], First.PodTemplates.Where(p => p.IsLongRunning).Select(p => p.Id).Order(StringComparer.Ordinal));
        string account = Second.Pod("Deployment", "lt-site").Spec.Text("serviceAccountName")!;
        string googleAccount = Second.Get("ServiceAccount", account).Map("metadata", "annotations")["iam.gke.io/gcp-service-account"];
        Assert.Equal(First.Get("ServiceAccount", account).Map("metadata", "annotations")["iam.gke.io/gcp-service-account"], googleAccount);
        string projectId = Setting(Second, "lt-site", "Transport:PubSub:ProjectId");
        Assert.Contains(First.OfKind("IAMPolicyMember"), m => m.Text("spec", "role") == "roles/iam.workloadIdentityUser"
            && m.Text("spec", "member") == $"serviceAccount:{projectId}.svc.id.goog[{Second.Get("Deployment", "lt-site").Text("metadata", "namespace")}/{account}]"
            && googleAccount.StartsWith(m.Text("spec", "resourceRef", "name") + "@", StringComparison.Ordinal));
    }

    [Fact]
    public void GivenTheSecondRegion_WhenComparedWithTheFirst_ThenEveryObjectOfItsSiteIsTheFirstRegionsButItsSettingsItsCapAndTheReplayOutputs()
    {
        var problems = new List<string>();
        foreach (JsonObject second in Second.Objects.Where(o => o.Text("kind") is not ("ConfigMap" or "HorizontalPodAutoscaler")))
        {
            JsonObject? first = First.Find(second.Text("kind")!, second.Text("metadata", "name")!);
            if (first is null)
            {
                problems.Add($"{Id(second)} is not in the first region");
            }
            else if (!JsonNode.DeepEquals(WithoutReplayOutputs(WithoutSettingsHashes(first)), WithoutSettingsHashes(second)))
            {
                problems.Add($"{Id(second)} differs from the first region's");
            }
        }

        Problems.AssertNone(problems);
        Assert.NotEqual(
            First.ConfigMapData(SettingsMapName(First, "lt-site-settings"))["LT__Transport__PubSub__ResultsSubscription"],
            Second.ConfigMapData(SettingsMapName(Second, "lt-site-settings"))["LT__Transport__PubSub__ResultsSubscription"]);
        Assert.Equal(First.ConfigMapData(SettingsMapName(First, "lt-settings")), Second.ConfigMapData(SettingsMapName(Second, "lt-settings")));
    }

    [Theory]
    [MemberData(nameof(Regions))]
    public void GivenARegion_WhenItsSiteHostIsBuiltFromItsContainerSettings_ThenEverySettingValidatesAndItPushesThroughItsOwnRedis(string region)
    {
        Manifests manifests = deploy[region];
        using StageSettings settings = StageSettings.Of(manifests, manifests.Pod("Deployment", "lt-site").Spec.Objects("containers").Single());

        using IHost host = StageHost.Build(settings);
        host.Services.GetService<IStartupValidator>()?.Validate();

        // Memorystore is regional: the Secret lt-redis of each cluster names its own region's instance.
        Assert.Equal("Redis", settings.AsDeployed["Push:Kind"]);
        Assert.Equal("secret:lt-redis/connection-string", settings.AsDeployed["Push:Redis:ConnectionString"]);
        Assert.Equal(["serve", "--stage", "site"], settings.Args);
    }

    [Theory]
    [MemberData(nameof(Regions))]
    public void GivenARegion_WhenRendered_ThenItsSiteAutoscalerHasTheRegionsCap(string region)
    {
        JsonObject autoscaler = deploy[region].Get("HorizontalPodAutoscaler", "lt-site");

        Assert.Equal("lt-site", autoscaler.Text("spec", "scaleTargetRef", "name"));
        Assert.Equal(2, int.Parse(autoscaler.Text("spec", "minReplicas")!, CultureInfo.InvariantCulture));
        Assert.Equal(SiteReplicasPerRegion, int.Parse(autoscaler.Text("spec", "maxReplicas")!, CultureInfo.InvariantCulture));
    }

    private static string Id(JsonObject o) => $"{o.Text("kind")}/{o.Text("metadata", "name")}";

    private static string SettingsMapName(Manifests manifests, string name) =>
        manifests.OfKind("ConfigMap").Select(c => c.Text("metadata", "name")!).Single(n => SettingsHash().Replace(n, "$1") == name);

    /// <summary>The object with the generated ConfigMaps' hash suffixes taken out of every name it holds.</summary>
    /// <summary>The object without the replay outputs' volume and mount, which only the first region has (PlaybackVolumeTests).</summary>
    private static JsonNode WithoutReplayOutputs(JsonNode o)
    {
        foreach (JsonObject spec in new[] { o.Child("spec", "template", "spec") }.OfType<JsonObject>())
        {
            Remove(spec["volumes"] as JsonArray, v => v.Text("persistentVolumeClaim", "claimName") == "lt-data");
            foreach (JsonObject container in spec.Objects("containers"))
            {
                Remove(container["volumeMounts"] as JsonArray, m => m.Text("mountPath") == "/data/replay");
            }
        }

        return o;
    }

    private static void Remove(JsonArray? items, Func<JsonObject, bool> which)
    {
        foreach (JsonObject item in items?.OfType<JsonObject>().Where(which).ToList() ?? [])
        {
            items!.Remove(item);
        }
    }

    private static JsonNode WithoutSettingsHashes(JsonObject o) =>
        JsonNode.Parse(SettingsHash().Replace(o.ToJsonString(), "$1"))!;

    private static string Setting(Manifests manifests, string workload, string key)
    {
        using StageSettings settings = StageSettings.Of(manifests, manifests.PodTemplates.Single(p => p.Name == workload).Spec.Objects("containers").Single());
        return settings.AsDeployed.TryGetValue(key, out string? value) ? value : throw new InvalidOperationException($"{manifests} {workload} has no setting {key}.");
    }

    [GeneratedRegex(@"\b(lt-[a-z-]*settings)-[a-z0-9]{10}\b")]
    private static partial Regex SettingsHash();
}
