using System.Text.Json.Nodes;

namespace ListeningTogether.Deploy.Tests.Fixtures;

/// <summary>Renders the base and every overlay once for all the tests of the collection.</summary>
public sealed class DeployFixture : IAsyncLifetime
{
    public const string Base = "base";
    public const string GcpPubSub = "overlays/gcp-pubsub";
    public const string AzureEventHubs = "overlays/azure-eventhubs";

    public static readonly IReadOnlyList<string> Overlays = [GcpPubSub, AzureEventHubs];

    private readonly Dictionary<string, Manifests> _rendered = [];

    public Manifests this[string kustomization] => _rendered[kustomization];

    public async Task InitializeAsync()
    {
        foreach (string kustomization in Overlays.Prepend(Base))
        {
            string directory = RepositoryPaths.Deploy(kustomization);
            string yaml = await Kustomize.RenderAsync(directory);
            _rendered[kustomization] = new Manifests(kustomization, YamlDocuments.Parse(yaml), AppImageRepository(directory));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The kustomization's <c>images:</c> entry for the app image: its newName, or the base name when it has none.</summary>
    private static string AppImageRepository(string directory)
    {
        JsonObject kustomization = YamlDocuments.Parse(File.ReadAllText(Path.Combine(directory, "kustomization.yaml"))).Single();
        JsonObject? entry = kustomization.Objects("images").SingleOrDefault(i => i.Text("name") == Manifests.AppImageName);
        return entry?.Text("newName") ?? Manifests.AppImageName;
    }
}

[CollectionDefinition(Name)]
public sealed class DeployCollection : ICollectionFixture<DeployFixture>
{
    public const string Name = "Rendered manifests";
}
