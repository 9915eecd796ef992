using ListeningTogether.Tests.Shared;

namespace ListeningTogether.Transports.Tests.Fixtures;

/// <summary>The test data and scripts this project uses, by name (<see cref="RepositoryPaths"/> says where they live).</summary>
public static class TestData
{
    public static string Root => RepositoryPaths.Root;

    public static string Example(string fileName) => RepositoryPaths.Example(fileName);

    public static string RealCityDb => RepositoryPaths.RealCityDb;
}
