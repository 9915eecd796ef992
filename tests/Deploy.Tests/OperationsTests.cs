using System.Text.Json.Nodes;
using ListeningTogether.Deploy.Tests.Fixtures;

namespace ListeningTogether.Deploy.Tests;

/// <summary>Issue 6: autoscaling of the stateless stages only, metrics scraping and network policies.</summary>
[Collection(DeployCollection.Name)]
public sealed class OperationsTests(DeployFixture deploy)
{
    public static TheoryData<string> Kustomizations => [DeployFixture.Base, .. DeployFixture.Overlays];

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void GivenAKustomization_WhenRendered_ThenHorizontalPodAutoscalersScaleExactlyTheStatelessSiteAndIngestDeployments(string kustomization)
    {
        Manifests manifests = deploy[kustomization];
        var targets = manifests.OfKind("HorizontalPodAutoscaler").Select(h => $"{h.Text("spec", "scaleTargetRef", "kind")}/{h.Text("spec", "scaleTargetRef", "name")}").Order(StringComparer.Ordinal);

        Assert.Equal(["Deployment/lt-ingest", "Deployment/lt-site"], targets);
        foreach (JsonObject autoscaler in manifests.OfKind("HorizontalPodAutoscaler"))
        {
            // An autoscaled Deployment must not set replicas, or every apply would reset the autoscaler's count.
            Assert.Null(manifests.Get("Deployment", autoscaler.Text("spec", "scaleTargetRef", "name")!).At("spec", "replicas"));
            Assert.True(int.Parse(autoscaler.Text("spec", "minReplicas")!, System.Globalization.CultureInfo.InvariantCulture) >= 2, "one replica would make every restart an outage");
        }
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void GivenAKustomization_WhenRendered_ThenPrometheusScrapesEveryLongRunningStageOnItsMetricsEndpoint(string kustomization)
    {
        var problems = new List<string>();
        foreach (PodTemplate pod in deploy[kustomization].PodTemplates.Where(p => p.IsLongRunning))
        {
            IReadOnlyDictionary<string, string> annotations = pod.Annotations;
            if (annotations.GetValueOrDefault("prometheus.io/scrape") != "true" || annotations.GetValueOrDefault("prometheus.io/port") != "9090" || annotations.GetValueOrDefault("prometheus.io/path") != "/metrics")
            {
                problems.Add($"{pod.Id}: no prometheus.io annotations for :9090/metrics, the management port");
            }
        }

        Problems.AssertNone(problems);
    }

    [Fact]
    public void GivenTheGcpOverlay_WhenRendered_ThenManagedPrometheusScrapesTheManagementPortOfEveryLongRunningStage()
    {
        Manifests gcp = deploy[DeployFixture.GcpPubSub];
        JsonObject monitoring = gcp.OfKind("PodMonitoring").Single();
        JsonObject endpoint = monitoring.Objects("spec", "endpoints").Single();

        Assert.Equal(("management", "/metrics"), (endpoint.Text("port"), endpoint.Text("path")));
        Assert.All(gcp.PodTemplates.Where(p => p.IsLongRunning), p => Assert.True(LabelSelector.Matches(monitoring.Child("spec", "selector")!, p.Labels), $"{p.Id} is not scraped"));
        Assert.All(gcp.PodTemplates.Where(p => p.IsLongRunning), p => Assert.Contains(
            p.Spec.Objects("containers").Single().Objects("ports"), port => (port.Text("name"), port.Text("containerPort")) == ("management", "9090")));
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void GivenAKustomization_WhenRendered_ThenOnlyTheSitePortTakesAnyTrafficAndTheManagementPortOnlyNamedSources(string kustomization)
    {
        Manifests manifests = deploy[kustomization];
        List<JsonObject> ingressPolicies = [.. manifests.OfKind("NetworkPolicy").Where(p => p.Texts("spec", "policyTypes").Contains("Ingress"))];

        foreach (PodTemplate pod in manifests.PodTemplates.Where(p => p.IsLongRunning))
        {
            List<JsonObject> applying = [.. ingressPolicies.Where(p => LabelSelector.Matches(p.Child("spec", "podSelector")!, pod.Labels))];
            Assert.Contains(applying, p => p.At("spec", "ingress") is null);
            List<JsonObject> rules = [.. applying.SelectMany(p => p.Objects("spec", "ingress"))];
            List<JsonObject> openToAll = [.. rules.Where(r => r.At("from") is null)];
            Assert.Equal(pod.Name == "lt-site" ? [["8080"]] : [], openToAll.Select(r => r.Objects("ports").Select(port => port.Text("port"))));
            Assert.All(rules.Except(openToAll), r => Assert.Equal(["9090"], r.Objects("ports").Select(port => port.Text("port"))));
        }
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void GivenAKustomization_WhenRendered_ThenReplayAndMergeHaveNoNetworkAtAll(string kustomization)
    {
        Manifests manifests = deploy[kustomization];
        List<JsonObject> egressPolicies = [.. manifests.OfKind("NetworkPolicy").Where(p => p.Texts("spec", "policyTypes").Contains("Egress"))];

        foreach (PodTemplate pod in new[] { manifests.Pod("Job", "lt-replay"), manifests.Pod("Job", "lt-merge") })
        {
            List<JsonObject> applying = [.. egressPolicies.Where(p => LabelSelector.Matches(p.Child("spec", "podSelector")!, pod.Labels))];
            Assert.NotEmpty(applying);
            Assert.All(applying, p => Assert.Null(p.At("spec", "egress")));
        }
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void GivenAKustomization_WhenRendered_ThenTheReplayJobRunsOneHourPerIndexAndBothJobsWaitToBeResumed(string kustomization)
    {
        Manifests manifests = deploy[kustomization];
        JsonObject replay = manifests.Get("Job", "lt-replay");
        JsonObject merge = manifests.Get("Job", "lt-merge");

        Assert.Equal(("Indexed", "24"), (replay.Text("spec", "completionMode"), replay.Text("spec", "completions")));
        Assert.Equal(("true", "true"), (replay.Text("spec", "suspend"), merge.Text("spec", "suspend")));
        string script = manifests.Pod("Job", "lt-replay").Spec.Objects("containers").Single().Texts("args").Single();
        Assert.Contains("$JOB_COMPLETION_INDEX", script, StringComparison.Ordinal);
        Assert.Contains("/data/archive/dt=$REPLAY_DAY/hour=$hour", script, StringComparison.Ordinal);
    }
}
