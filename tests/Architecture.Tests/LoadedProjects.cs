using ArchUnitNET.Loader;
using ArchitectureModel = ArchUnitNET.Domain.Architecture;
using ReflectionAssembly = System.Reflection.Assembly;

namespace ListeningTogether.Architecture.Tests;

/// <summary>Every present src project's assembly, loaded once into one ArchUnitNET model for all the rules.</summary>
public sealed class LoadedProjects
{
    private readonly Dictionary<string, ReflectionAssembly> _assemblies;

    public LoadedProjects()
    {
        _assemblies = ProjectLayers.Present.ToDictionary(layer => layer.Project, Load);
        Model = new ArchLoader().LoadAssemblies([.. _assemblies.Values]).Build();
    }

    public ArchitectureModel Model { get; }

    public ReflectionAssembly Assembly(string project) => _assemblies[project];

    private static ReflectionAssembly Load(ProjectLayer layer)
    {
        try
        {
            return ReflectionAssembly.Load(layer.AssemblyName);
        }
        catch (FileNotFoundException e)
        {
            throw new InvalidOperationException(
                $"src/{layer.Project} exists but {layer.AssemblyName} is not beside the tests: add "
                + $"<ProjectReference Include=\"../../src/{layer.Project}/{layer.Project}.csproj\" /> to Architecture.Tests.csproj.",
                e);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class LoadedProjectsCollection : ICollectionFixture<LoadedProjects>
{
    public const string Name = "Loaded src projects";
}
