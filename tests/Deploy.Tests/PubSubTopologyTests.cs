using System.Globalization;
using System.Text.Json.Nodes;
using ListeningTogether.Deploy.Tests.Fixtures;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Deploy.Tests;

/// <summary>
/// DESIGN.md "Scale-out" on Pub/Sub, as the gcp-pubsub overlay deploys it: exactly ShardCount match replicas,
/// replica K reading shard K, one topic and one subscription per shard, and the subscriptions the settings name.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class PubSubTopologyTests(DeployFixture deploy)
{
    private Manifests Gcp => deploy[DeployFixture.GcpPubSub];

    [Fact]
    public void GivenTheGcpOverlay_WhenRendered_ThenThereAreExactlyShardCountMatchReplicasAndNoAutoscalerForThem()
    {
        JsonObject match = Gcp.Get("StatefulSet", "lt-match");
        int shards = ShardCount();

        Assert.Equal(shards, int.Parse(match.Text("spec", "replicas")!, CultureInfo.InvariantCulture));
        Assert.True(shards > 1, "a single shard would not scale out");
        Assert.DoesNotContain(Gcp.OfKind("HorizontalPodAutoscaler").Concat(Gcp.OfKind("ScaledObject")), s => s.Text("spec", "scaleTargetRef", "name") == "lt-match");
    }

    [Fact]
    public void GivenTheGcpOverlay_WhenRendered_ThenEachShardHasOneTopicAndOneSubscriptionOnIt()
    {
        string repartition = Setting("lt-match", "Transport:PubSub:RepartitionTopic");
        var expected = Enumerable.Range(0, ShardCount()).Select(k => $"{repartition}-shard-{k}").ToList();

        List<string> shardTopics = [.. Topics().Where(t => t.StartsWith(repartition + "-shard-", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
        Assert.Equal(expected.Order(StringComparer.Ordinal), shardTopics);
        foreach (string topic in expected)
        {
            Assert.Equal([topic], SubscriptionsOf(topic));
        }
    }

    [Fact]
    public void GivenTheGcpOverlay_WhenRendered_ThenMatchReplicaKReadsShardKFromItsOrdinal()
    {
        using StageSettings settings = StageSettings.Of(Gcp, Gcp.Pod("StatefulSet", "lt-match").Spec.Objects("containers").Single());
        EnvironmentVariable shardIndex = ContainerEnvironment.Of(Gcp, Gcp.Pod("StatefulSet", "lt-match").Spec.Objects("containers").Single())
            .Single(v => ContainerEnvironment.SettingKey(v.Name) == "Transport:PubSub:ShardIndex");

        Assert.Equal("metadata.labels['apps.kubernetes.io/pod-index']", shardIndex.FieldPath);
        Assert.Equal("0", settings.AsDeployed["Transport:PubSub:ShardIndex"]);
    }

    [Fact]
    public void GivenTheGcpOverlay_WhenRendered_ThenIngestAndSiteReadTheirOwnSubscriptionsOfThePlaysAndResultsTopics()
    {
        string plays = Setting("lt-ingest", "Transport:PubSub:Topic");
        string results = Setting("lt-site", "Transport:PubSub:ResultsTopic");

        Assert.Equal([Setting("lt-ingest", "Transport:PubSub:Subscription")], SubscriptionsOf(plays));
        Assert.Equal([Setting("lt-site", "Transport:PubSub:Subscription")], SubscriptionsOf(results));
        Assert.Equal(Setting("lt-match", "Transport:PubSub:ResultsTopic"), results);
        Assert.Equal(ShardCount() + 2, Topics().Count);
    }

    [Fact]
    public void GivenTheGcpOverlay_WhenRendered_ThenTheStagesSignInWithWorkloadIdentityAsAnAccountThatMayPublishAndSubscribe()
    {
        string projectId = Setting("lt-ingest", "Transport:PubSub:ProjectId");
        string googleAccount = Gcp.Get("ServiceAccount", "lt").Map("metadata", "annotations")["iam.gke.io/gcp-service-account"];
        var members = Gcp.OfKind("IAMPolicyMember").ToList();

        Assert.Equal($"lt-pipeline@{projectId}.iam.gserviceaccount.com", googleAccount);
        Assert.Contains(members, m => m.Text("spec", "role") == "roles/iam.workloadIdentityUser"
            && m.Text("spec", "member") == $"serviceAccount:{projectId}.svc.id.goog[listening-together/lt]"
            && m.Text("spec", "resourceRef", "name") == "lt-pipeline");
        foreach (string role in new[] { "roles/pubsub.publisher", "roles/pubsub.subscriber" })
        {
            Assert.Contains(members, m => m.Text("spec", "role") == role && m.Text("spec", "memberFrom", "serviceAccountRef", "name") == "lt-pipeline");
        }

        Assert.All(new[] { "lt-site", "lt-ingest", "lt-match" }, w => Assert.Equal("lt", Gcp.PodTemplates.Single(p => p.Name == w).Spec.Text("serviceAccountName")));
        Assert.Equal(projectId, Gcp.Get("Namespace", "listening-together").Map("metadata", "annotations")["cnrm.cloud.google.com/project-id"]);
    }

    [Fact]
    public void GivenTheGcpOverlay_WhenRendered_ThenEverySubscriptionHasTheAckDeadlineItsReaderExtends()
    {
        foreach (JsonObject subscription in Gcp.OfKind("PubSubSubscription"))
        {
            string topic = subscription.Text("spec", "topicRef", "name")!;
            string reader = topic == Setting("lt-ingest", "Transport:PubSub:Topic") ? "lt-ingest"
                : topic == Setting("lt-site", "Transport:PubSub:ResultsTopic") ? "lt-site"
                : "lt-match";
            using StageSettings settings = StageSettings.Of(Gcp, Gcp.PodTemplates.Single(p => p.Name == reader).Spec.Objects("containers").Single());
            int deadline = settings.AsDeployed.TryGetValue("Transport:PubSub:AckDeadlineSeconds", out string? value)
                ? int.Parse(value, CultureInfo.InvariantCulture)
                : new PubSubTransportOptions().AckDeadlineSeconds;

            Assert.Equal(deadline.ToString(CultureInfo.InvariantCulture), subscription.Text("spec", "ackDeadlineSeconds"));
        }
    }

    private int ShardCount() => int.Parse(Setting("lt-match", "Transport:PubSub:ShardCount"), CultureInfo.InvariantCulture);

    private List<string> Topics() => [.. Gcp.OfKind("PubSubTopic").Select(t => t.Text("metadata", "name")!)];

    private List<string> SubscriptionsOf(string topic) =>
        [.. Gcp.OfKind("PubSubSubscription").Where(s => s.Text("spec", "topicRef", "name") == topic).Select(s => s.Text("metadata", "name")!)];

    private string Setting(string workload, string key)
    {
        using StageSettings settings = StageSettings.Of(Gcp, Gcp.PodTemplates.Single(p => p.Name == workload).Spec.Objects("containers").Single());
        return settings.AsDeployed.TryGetValue(key, out string? value) ? value : throw new InvalidOperationException($"{workload} has no setting {key}.");
    }
}
