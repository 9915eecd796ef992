using ListeningTogether.Tests.Shared;

namespace ListeningTogether.Architecture.Tests;

/// <summary>
/// DESIGN's layout as data: Host -> Streaming, Replay, Transports, Simulator -> Pipeline -> Abstractions. Simulator
/// needs only Abstractions; Streaming needs Pipeline and Abstractions, never Replay or Transports; Transports, Replay
/// and Simulator never use each other. A layer is checked when its src project exists; a project under src/ with no
/// layer here fails <see cref="DependencyDirectionTests"/>.
/// </summary>
internal static class ProjectLayers
{
    public static IReadOnlyList<ProjectLayer> All { get; } =
    [
        new("Abstractions", "ListeningTogether.Abstractions", []),
        new("Pipeline", "ListeningTogether.Pipeline", ["Abstractions"]),
        // Streaming: checked as soon as src/Streaming exists; Architecture.Tests.csproj must then reference it.
        new("Streaming", "ListeningTogether.Streaming", ["Pipeline", "Abstractions"]),
        new("Replay", "ListeningTogether.Replay", ["Pipeline", "Abstractions"]),
        new("Transports", "ListeningTogether.Transports", ["Pipeline", "Abstractions"]),
        new("Simulator", "ListeningTogether.Simulator", ["Abstractions"]),
        new("Host", "lt", ["Streaming", "Replay", "Transports", "Simulator", "Pipeline", "Abstractions"]),
    ];

    /// <summary>The layers whose project exists under src/ in this checkout.</summary>
    public static IReadOnlyList<ProjectLayer> Present { get; } = All.Where(IsPresent).ToList();

    public static ProjectLayer Named(string project) => All.Single(layer => layer.Project == project);

    private static bool IsPresent(ProjectLayer layer) =>
        File.Exists(Path.Combine(RepositoryPaths.Root, "src", layer.Project, layer.Project + ".csproj"));
}
