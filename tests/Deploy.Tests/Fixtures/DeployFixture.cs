using System.Text.Json.Nodes;

namespace ListeningTogether.Deploy.Tests.Fixtures;

/// <summary>Renders the base and every overlay once for all the tests of the collection.</summary>
public sealed class DeployFixture : IAsyncLifetime
{
    public const string Base = "base";
    public const string GcpPubSub = "overlays/gcp-pubsub";
    public const string AzureEventHubs = "overlays/azure-eventhubs";
    public const string AzureMigration = "overlays/azure-eventhubs-migration";

    /// <summary>Two regions sharing one results topic: the first runs everything, the second site replicas only.</summary>
    public const string GcpFirstRegion = "overlays/gcp-pubsub-two-regions/europe-west1";
    public const string GcpSecondRegion = "overlays/gcp-pubsub-two-regions/us-east1";

    /// <summary>Complete deployments: every stage, job and cloud resource.</summary>
    public static readonly IReadOnlyList<string> Overlays = [GcpPubSub, AzureEventHubs, AzureMigration, GcpFirstRegion];

    /// <summary>Deployments of site replicas only, beside a complete one elsewhere.</summary>
    public static readonly IReadOnlyList<string> SiteOnlyOverlays = [GcpSecondRegion];

    private readonly Dictionary<string, Manifests> _rendered = [];

    public Manifests this[string kustomization] => _rendered[kustomization];

    public async Task InitializeAsync()
    {
        foreach (string kustomization in Overlays.Concat(SiteOnlyOverlays).Prepend(Base))
        {
            string yaml = await Kustomize.RenderAsync(RepositoryFiles.Deploy(kustomization));
            IReadOnlyList<JsonObject> objects = YamlDocuments.Parse(yaml);
            _rendered[kustomization] = new Manifests(kustomization, objects, AppImageRepository(objects));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// Where the kustomization takes the app image from: the repository of the site's container (kustomize
    /// <c>images:</c> gives every stage the same one; ImageTests checks that).
    /// </summary>
    private static string AppImageRepository(IReadOnlyList<JsonObject> objects)
    {
        string image = objects.Single(o => o.Text("kind") == "Deployment" && o.Text("metadata", "name") == "lt-site")
            .Objects("spec", "template", "spec", "containers").Single().Text("image")!;
        int digest = image.IndexOf('@', StringComparison.Ordinal);
        return digest >= 0 ? image[..digest] : image;
    }
}

[CollectionDefinition(Name)]
public sealed class DeployCollection : ICollectionFixture<DeployFixture>
{
    public const string Name = "Rendered manifests";
}
