namespace ListeningTogether.Tests.Shared;

/// <summary>
/// Where the repository's test data lives, for every test project: the repository root (the folder holding
/// ListeningTogether.sln, found from the running test assembly), the MaxMind test databases and co-play examples
/// in tests/data, and the real City database scripts/setup.sh installs.
/// </summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> RepositoryRoot = new(FindRepositoryRoot);

    public static string Root => RepositoryRoot.Value;

    /// <summary>A MaxMind test database (or its JSON source) in tests/data/maxmind-test, by file name.</summary>
    public static string MaxMindTest(string fileName) => Path.GetFullPath(Path.Combine(Root, "tests", "data", "maxmind-test", fileName));

    /// <summary>A file of the shared co-play examples in tests/data/coplay-examples.</summary>
    public static string Example(string fileName) => Path.GetFullPath(Path.Combine(Root, "tests", "data", "coplay-examples", fileName));

    /// <summary>Where scripts/setup.sh installs the real GeoLite2 City database (absent in a fresh clone until it runs).</summary>
    public static string RealCityDbPath => Path.Combine(Root, "data", "GeoLite2-City.mmdb");

    /// <summary>The real GeoLite2 City database; the co-play examples hold only with it. Fails the test when it is missing.</summary>
    public static string RealCityDb
    {
        get
        {
            string path = RealCityDbPath;
            if (!File.Exists(path))
            {
                Assert.Fail($"{path} is missing: run scripts/setup.sh");
            }

            return path;
        }
    }

    private static string FindRepositoryRoot()
    {
        string start = AppContext.BaseDirectory;
        for (string? directory = start; directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "ListeningTogether.sln")))
            {
                return directory;
            }
        }

        throw new InvalidOperationException($"No folder above {start} holds ListeningTogether.sln.");
    }
}
