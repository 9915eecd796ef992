using System.Text.Json.Nodes;

namespace ListeningTogether.Deploy.Tests.Fixtures;

/// <summary>The objects one kustomization renders to.</summary>
public sealed class Manifests
{
    /// <summary>The name the image of every Listening Together stage has in the base, for overlays to pin.</summary>
    public const string AppImageName = "listening-together";

    public Manifests(string name, IReadOnlyList<JsonObject> objects, string appImageRepository)
    {
        Name = name;
        Objects = objects;
        AppImageRepository = appImageRepository;
        PodTemplates = [.. objects.Select(PodTemplate.Of).OfType<PodTemplate>()];
    }

    public string Name { get; }

    /// <summary>Where the overlay takes the Listening Together image from (its kustomize <c>images:</c> newName).</summary>
    public string AppImageRepository { get; }

    public IReadOnlyList<JsonObject> Objects { get; }

    public IReadOnlyList<PodTemplate> PodTemplates { get; }

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => o.Text("kind") == kind);

    public JsonObject? Find(string kind, string name) => OfKind(kind).SingleOrDefault(o => o.Text("metadata", "name") == name);

    public JsonObject Get(string kind, string name) =>
        Find(kind, name) ?? throw new InvalidOperationException($"{Name} renders no {kind} named {name}.");

    public PodTemplate Pod(string kind, string name) =>
        PodTemplates.SingleOrDefault(p => p.Kind == kind && p.Name == name)
        ?? throw new InvalidOperationException($"{Name} renders no {kind} named {name}.");

    /// <summary>The containers that run the Listening Together image (as opposed to helpers such as geoipupdate).</summary>
    public IEnumerable<(PodTemplate Pod, JsonObject Container)> AppContainers =>
        PodTemplates.SelectMany(p => p.Containers.Select(c => (p, c))).Where(pc => IsAppImage(pc.c.Text("image")));

    public IReadOnlyDictionary<string, string> ConfigMapData(string name) => Get("ConfigMap", name).Map("data");

    public bool IsAppImage(string? image) =>
        image is not null && (image == AppImageRepository || image.StartsWith(AppImageRepository + "@", StringComparison.Ordinal) || image.StartsWith(AppImageRepository + ":", StringComparison.Ordinal));

    public override string ToString() => Name;
}
