using System.Globalization;
using System.Text.Json.Nodes;
using ListeningTogether.Deploy.Tests.Fixtures;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Deploy.Tests;

/// <summary>
/// DESIGN.md "Scale-out" on Pub/Sub, as the gcp-pubsub overlay deploys it: exactly ShardCount match replicas,
/// replica K reading shard K, one topic and one subscription per shard, the subscriptions the settings name, and
/// ("One world view") site replicas that each create a results subscription of their own, with the rights for it.
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
    public void GivenTheGcpOverlay_WhenRendered_ThenIngestReadsItsSubscriptionOfThePlaysAndNoSubscriptionOfTheResultsIsShared()
    {
        string plays = Setting("lt-ingest", "Transport:PubSub:Topic");
        string results = Setting("lt-site", "Transport:PubSub:ResultsTopic");

        Assert.Equal([Setting("lt-ingest", "Transport:PubSub:Subscription")], SubscriptionsOf(plays));
        // Each site replica creates, reads and deletes ResultsSubscription-POD itself (DESIGN.md "One world view"):
        // a declared subscription on the results topic would be one nobody reads, filling up for a week.
        Assert.Empty(SubscriptionsOf(results));
        Assert.Equal("coplays-site", Setting("lt-site", "Transport:PubSub:ResultsSubscription"));
        Assert.False(SiteSettingIsSet("Site:ReplicaName"), "the replica's name is the pod's (HOSTNAME), unique in the cluster");
        Assert.Equal(Setting("lt-match", "Transport:PubSub:ResultsTopic"), results);
        Assert.Contains(results, Topics());
        Assert.Equal(ShardCount() + 2, Topics().Count);
    }

    [Fact]
    public void GivenTheGcpOverlay_WhenRendered_ThenIngestAndMatchSignInWithWorkloadIdentityAsAnAccountThatMayPublishAndSubscribe()
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

        Assert.All(new[] { "lt-ingest", "lt-match" }, w => Assert.Equal("lt", Gcp.PodTemplates.Single(p => p.Name == w).Spec.Text("serviceAccountName")));
        Assert.Equal(projectId, Gcp.Get("Namespace", "listening-together").Map("metadata", "annotations")["cnrm.cloud.google.com/project-id"]);
    }

    [Fact]
    public void GivenTheGcpOverlay_WhenRendered_ThenTheSiteSignsInAsAnAccountThatMayCreateReadAndDeleteSubscriptionsOnTheResultsTopicOnly()
    {
        string projectId = Setting("lt-site", "Transport:PubSub:ProjectId");
        string results = Setting("lt-site", "Transport:PubSub:ResultsTopic");
        string account = Gcp.Pod("Deployment", "lt-site").Spec.Text("serviceAccountName")!;
        var siteMembers = Gcp.OfKind("IAMPolicyMember").Where(m => m.Text("spec", "memberFrom", "serviceAccountRef", "name") == "lt-site").ToList();

        Assert.Equal("lt-site", account);
        Assert.Equal($"lt-site@{projectId}.iam.gserviceaccount.com", Gcp.Get("ServiceAccount", account).Map("metadata", "annotations")["iam.gke.io/gcp-service-account"]);
        Assert.Contains(Gcp.OfKind("IAMPolicyMember"), m => m.Text("spec", "role") == "roles/iam.workloadIdentityUser"
            && m.Text("spec", "member") == $"serviceAccount:{projectId}.svc.id.goog[listening-together/{account}]"
            && m.Text("spec", "resourceRef", "name") == "lt-site");

        // CreateSubscription needs attachSubscription on the topic: the subscriber role, on that topic alone ...
        JsonObject onTopic = Assert.Single(siteMembers, m => m.Text("spec", "resourceRef", "kind") == "PubSubTopic");
        Assert.Equal(("roles/pubsub.subscriber", results), (onTopic.Text("spec", "role"), onTopic.Text("spec", "resourceRef", "name")));

        // ... and, on the project, exactly creating, reading and deleting subscriptions: nothing of topics, no publishing.
        JsonObject onProject = Assert.Single(siteMembers, m => m.Text("spec", "resourceRef", "kind") == "Project");
        Assert.Equal($"projects/{projectId}", onProject.Text("spec", "resourceRef", "external"));
        JsonObject role = Assert.Single(Gcp.OfKind("IAMCustomRole"), r => onProject.Text("spec", "role") == $"projects/{projectId}/roles/{r.Text("spec", "resourceID")}");
        Assert.Equal(
            ["pubsub.subscriptions.consume", "pubsub.subscriptions.create", "pubsub.subscriptions.delete", "pubsub.subscriptions.get"],
            role.Texts("spec", "permissions").Order(StringComparer.Ordinal));
        Assert.Equal(2, siteMembers.Count);
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

    private bool SiteSettingIsSet(string key)
    {
        using StageSettings settings = StageSettings.Of(Gcp, Gcp.Pod("Deployment", "lt-site").Spec.Objects("containers").Single());
        return settings.AsDeployed.ContainsKey(key);
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
