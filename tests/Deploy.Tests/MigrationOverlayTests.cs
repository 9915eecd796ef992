using System.Text.Json.Nodes;
using ListeningTogether.Deploy.Tests.Fixtures;

namespace ListeningTogether.Deploy.Tests;

/// <summary>
/// DESIGN.md Transport:Kind=Migration, as the azure-eventhubs-migration overlay deploys it for step 1 of the move
/// from GCP to Azure: the Azure deployment with its ingest reading Pub/Sub as well, signed in to Google without a key.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class MigrationOverlayTests(DeployFixture deploy)
{
    private Manifests Migration => deploy[DeployFixture.AzureMigration];

    [Fact]
    public void GivenTheMigrationOverlay_WhenComparedWithAzure_ThenOnlyIngestChangesAndItReadsBothTransports()
    {
        Manifests azure = deploy[DeployFixture.AzureEventHubs];
        var changed = new List<string>();
        foreach ((PodTemplate pod, JsonObject container) in azure.AppContainers)
        {
            using StageSettings before = StageSettings.Of(azure, container);
            using StageSettings after = StageSettings.Of(Migration, Migration.Pod(pod.Kind, pod.Name).Containers.Single());
            if (!before.AsDeployed.OrderBy(p => p.Key, StringComparer.Ordinal).SequenceEqual(after.AsDeployed.OrderBy(p => p.Key, StringComparer.Ordinal)))
            {
                changed.Add(pod.Name);
            }
        }

        using StageSettings ingest = IngestSettings();
        using StageSettings azureIngest = StageSettings.Of(azure, azure.Pod("Deployment", "lt-ingest").Containers.Single());
        Assert.Equal(["lt-ingest"], changed);
        Assert.Equal("Migration", ingest.AsDeployed["Transport:Kind"]);
        Assert.All(azureIngest.AsDeployed.Where(p => p.Key.StartsWith("Transport:EventHubs:", StringComparison.Ordinal)), p => Assert.Equal(p.Value, ingest.AsDeployed[p.Key]));
    }

    [Fact]
    public void GivenTheMigrationOverlay_WhenRendered_ThenIngestReadsThePlaysTopicOfTheGcpDeploymentThroughASubscriptionOfItsOwn()
    {
        Manifests gcp = deploy[DeployFixture.GcpPubSub];
        using StageSettings gcpIngest = StageSettings.Of(gcp, gcp.Pod("Deployment", "lt-ingest").Containers.Single());
        using StageSettings ingest = IngestSettings();

        Assert.Equal(gcpIngest.AsDeployed["Transport:PubSub:ProjectId"], ingest.AsDeployed["Transport:PubSub:ProjectId"]);
        Assert.Equal(gcpIngest.AsDeployed["Transport:PubSub:Topic"], ingest.AsDeployed["Transport:PubSub:Topic"]);
        Assert.NotEqual(gcpIngest.AsDeployed["Transport:PubSub:Subscription"], ingest.AsDeployed["Transport:PubSub:Subscription"]);
    }

    [Fact]
    public void GivenTheMigrationOverlay_WhenRendered_ThenIngestSignsInToGoogleByFederationAsTheGcpPipelineAccountWithoutAKey()
    {
        Manifests gcp = deploy[DeployFixture.GcpPubSub];
        PodTemplate pod = Migration.Pod("Deployment", "lt-ingest");
        JsonObject container = pod.Containers.Single();
        string credentialsPath = ContainerEnvironment.Of(Migration, container).Single(v => v.Name == "GOOGLE_APPLICATION_CREDENTIALS").Value!;

        JsonObject credentials = JsonNode.Parse(FileInVolume(pod, container, credentialsPath))!.AsObject();
        string tokenFile = credentials.Text("credential_source", "file")!;
        JsonObject tokenSource = VolumeAt(pod, container, tokenFile).Objects("projected", "sources").Single().Child("serviceAccountToken")!;

        Assert.Equal("external_account", credentials.Text("type"));
        Assert.Null(credentials["private_key"]);
        Assert.Equal(Path.GetFileName(tokenFile), tokenSource.Text("path"));
        Assert.Equal("https:" + credentials.Text("audience"), tokenSource.Text("audience"));
        Assert.Contains($"/serviceAccounts/{gcp.Get("ServiceAccount", "lt").Map("metadata", "annotations")["iam.gke.io/gcp-service-account"]}:generateAccessToken",
            credentials.Text("service_account_impersonation_url"), StringComparison.Ordinal);
    }

    private StageSettings IngestSettings() => StageSettings.Of(Migration, Migration.Pod("Deployment", "lt-ingest").Containers.Single());

    /// <summary>The content a path has in the container, when it is a key of a ConfigMap mounted as a volume.</summary>
    private string FileInVolume(PodTemplate pod, JsonObject container, string path)
    {
        JsonObject volume = VolumeAt(pod, container, path);
        string configMap = volume.Text("configMap", "name") ?? throw new InvalidOperationException($"{path} is not in a ConfigMap volume.");
        return Migration.ConfigMapData(configMap)[Path.GetFileName(path)];
    }

    private static JsonObject VolumeAt(PodTemplate pod, JsonObject container, string path)
    {
        JsonObject mount = container.Objects("volumeMounts").Single(m => Path.GetDirectoryName(path) == m.Text("mountPath"));
        Assert.Equal("true", mount.Text("readOnly"));
        return pod.Spec.Objects("volumes").Single(v => v.Text("name") == mount.Text("name"));
    }
}
