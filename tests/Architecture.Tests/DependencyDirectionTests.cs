using ArchUnitNET.xUnit;
using ListeningTogether.Tests.Shared;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace ListeningTogether.Architecture.Tests;

/// <summary>DESIGN's dependency direction between the src projects, as <see cref="ProjectLayers"/> states it.</summary>
[Collection(LoadedProjectsCollection.Name)]
public sealed class DependencyDirectionTests(LoadedProjects projects)
{
    public static TheoryData<string> PresentProjects => [.. ProjectLayers.Present.Select(layer => layer.Project)];

    [Fact]
    public void Every_src_project_has_a_layer()
    {
        string[] projectsOnDisk = Directory.GetDirectories(Path.Combine(RepositoryPaths.Root, "src"))
            .Where(folder => Directory.EnumerateFiles(folder, "*.csproj").Any())
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(projectsOnDisk, ProjectLayers.Present.Select(layer => layer.Project).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(PresentProjects))]
    public void A_project_uses_only_the_projects_its_layer_allows(string project)
    {
        ProjectLayer layer = ProjectLayers.Named(project);
        var outOfBounds = ProjectLayers.Present
            .Where(other => other.Project != project && !layer.MayUse.Contains(other.Project))
            .Select(other => projects.Assembly(other.Project))
            .ToArray();
        if (outOfBounds.Length == 0)
        {
            return;
        }

        Types().That().ResideInAssembly(projects.Assembly(project))
            .Should().NotDependOnAny(Types().That().ResideInAssembly(outOfBounds[0], outOfBounds[1..]))
            .Because($"DESIGN's layout lets {project} use only {(layer.MayUse.Count == 0 ? "the BCL" : string.Join(", ", layer.MayUse))}")
            .Check(projects.Model);
    }

    [Fact]
    public void Abstractions_depends_on_nothing_but_the_BCL()
    {
        var abstractions = projects.Assembly("Abstractions");
        Types().That().ResideInAssembly(abstractions)
            .Should().OnlyDependOn(Types(true).That().ResideInNamespaceMatching(@"^System(\..+)?$").Or().ResideInAssembly(abstractions))
            .Because("DESIGN: Abstractions holds contracts only and depends on nothing but the BCL")
            .Check(projects.Model);
    }
}
