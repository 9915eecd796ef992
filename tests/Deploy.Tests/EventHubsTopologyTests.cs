using System.Globalization;
using System.Text.Json.Nodes;
using ListeningTogether.Deploy.Tests.Fixtures;

namespace ListeningTogether.Deploy.Tests;

/// <summary>
/// DESIGN.md "Scale-out" on Event Hubs, as the azure-eventhubs overlay deploys it: match replicas autoscaled by
/// KEDA on the lag of their consumer group, every stage signing in with Workload ID, viewers on Azure SignalR, and
/// ("One world view") at most four site replicas reading every partition of the results hub.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class EventHubsTopologyTests(DeployFixture deploy)
{
    private Manifests Azure => deploy[DeployFixture.AzureEventHubs];

    [Fact]
    public void GivenTheAzureOverlay_WhenRendered_ThenKedaScalesMatchOnTheLagOfTheHubAndConsumerGroupItReads()
    {
        JsonObject scaledObject = Azure.Get("ScaledObject", "lt-match");
        JsonObject trigger = scaledObject.Objects("spec", "triggers").Single();
        IReadOnlyDictionary<string, string> metadata = trigger.Map("metadata");

        Assert.Equal("StatefulSet", scaledObject.Text("spec", "scaleTargetRef", "kind"));
        Assert.Equal("azure-eventhub", trigger.Text("type"));
        Assert.Equal(Setting("lt-match", "Transport:EventHubs:RepartitionEventHubName"), metadata["eventHubName"]);
        Assert.Equal(Setting("lt-match", "Transport:EventHubs:ConsumerGroup"), metadata["consumerGroup"]);
        Assert.Equal(Setting("lt-match", "Transport:EventHubs:CheckpointStore:Container"), metadata["blobContainer"]);
        Assert.Equal(FirstLabel(new Uri(Setting("lt-match", "Transport:EventHubs:CheckpointStore:ServiceUri")).Host), metadata["storageAccountName"]);
        Assert.Equal(FirstLabel(Setting("lt-match", "Transport:EventHubs:FullyQualifiedNamespace")), metadata["eventHubNamespace"]);
        Assert.Equal("blobMetadata", metadata["checkpointStrategy"]);
        Assert.Equal("azure-workload", Azure.Get("TriggerAuthentication", trigger.Text("authenticationRef", "name")!).Text("spec", "podIdentity", "provider"));
    }

    [Fact]
    public void GivenTheAzureOverlay_WhenRendered_ThenOnlyKedaSetsTheNumberOfMatchReplicas()
    {
        Assert.Null(Azure.Get("StatefulSet", "lt-match").At("spec", "replicas"));
        Assert.DoesNotContain(Azure.OfKind("HorizontalPodAutoscaler"), h => h.Text("spec", "scaleTargetRef", "name") == "lt-match");
    }

    [Fact]
    public void GivenTheAzureOverlay_WhenRendered_ThenEachStageReadsItsHubThroughItsOwnConsumerGroup()
    {
        // The site reads the results hub in Transport:EventHubs:SiteConsumerGroup (DESIGN.md "One world view").
        (string Workload, string Key)[] readers =
            [("lt-ingest", "ConsumerGroup"), ("lt-match", "ConsumerGroup"), ("lt-site", "SiteConsumerGroup")];
        var groups = readers.Select(r => Setting(r.Workload, $"Transport:EventHubs:{r.Key}")).ToList();

        Assert.Equal(groups.Count, groups.Distinct().Count());
        Assert.DoesNotContain("$Default", groups);
    }

    [Fact]
    public void GivenTheAzureOverlay_WhenRendered_ThenNeverMoreThanFourSiteReplicasReadTheResultsHubInTheirConsumerGroup()
    {
        JsonObject autoscaler = Azure.Get("HorizontalPodAutoscaler", "lt-site");
        JsonObject rollout = Azure.Get("Deployment", "lt-site").Child("spec", "strategy", "rollingUpdate")!;

        // Event Hubs allows 5 readers per partition and consumer group; every site replica reads every partition.
        // A rollout stops a replica before it starts the next, so a stopping pod still reading is the fifth at most.
        Assert.Equal("lt-site", autoscaler.Text("spec", "scaleTargetRef", "name"));
        Assert.Equal(4, int.Parse(autoscaler.Text("spec", "maxReplicas")!, CultureInfo.InvariantCulture));
        Assert.Equal(("0", "1"), (rollout.Text("maxSurge"), rollout.Text("maxUnavailable")));
        Assert.DoesNotContain(Azure.OfKind("ScaledObject"), s => s.Text("spec", "scaleTargetRef", "name") == "lt-site");
    }

    [Fact]
    public void GivenTheAzureOverlay_WhenRendered_ThenTheStreamingStagesSignInWithWorkloadIdAndNoConnectionString()
    {
        string clientId = Azure.Get("ServiceAccount", "lt").Map("metadata", "annotations")["azure.workload.identity/client-id"];

        Assert.True(Guid.TryParse(clientId, out _), $"client id {clientId} is not a GUID");
        foreach (string workload in new[] { "lt-site", "lt-ingest", "lt-match" })
        {
            PodTemplate pod = Azure.PodTemplates.Single(p => p.Name == workload);
            Assert.Equal("lt", pod.Spec.Text("serviceAccountName"));
            Assert.Equal("true", pod.Labels["azure.workload.identity/use"]);
            using StageSettings settings = StageSettings.Of(Azure, pod.Spec.Objects("containers").Single());
            Assert.DoesNotContain(settings.AsDeployed.Keys, k => k.StartsWith("Transport:EventHubs:", StringComparison.Ordinal) && k.EndsWith("ConnectionString", StringComparison.Ordinal));
        }

        Assert.Contains("AuthType=azure;", Setting("lt-site", "Push:AzureSignalR:ConnectionString"), StringComparison.Ordinal);
    }

    private static string FirstLabel(string host) => host.Split('.')[0];

    private string Setting(string workload, string key)
    {
        using StageSettings settings = StageSettings.Of(Azure, Azure.PodTemplates.Single(p => p.Name == workload).Spec.Objects("containers").Single());
        return settings.AsDeployed.TryGetValue(key, out string? value) ? value : throw new InvalidOperationException($"{workload} has no setting {key}.");
    }
}
