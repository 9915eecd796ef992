namespace ListeningTogether.Transports.Tests.Fixtures;

/// <summary>Where the repository's test data and scripts live (the folder holding ListeningTogether.sln, found from the test assembly).</summary>
public static class TestData
{
    private static readonly Lazy<string> RepositoryRoot = new(FindRepositoryRoot);

    public static string Root => RepositoryRoot.Value;

    public static string Example(string fileName) =>
        Path.GetFullPath(Path.Combine(Root, "tests", "data", "coplay-examples", fileName));

    /// <summary>The real GeoLite2 City database; the co-play examples hold only with it. Fails the test when it is missing.</summary>
    public static string RealCityDb
    {
        get
        {
            string path = Path.Combine(Root, "data", "GeoLite2-City.mmdb");
            if (!File.Exists(path))
            {
                Assert.Fail($"{path} is missing: run scripts/setup.sh");
            }

            return path;
        }
    }

    private static string FindRepositoryRoot()
    {
        string start = Path.GetDirectoryName(typeof(TestData).Assembly.Location)!;
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
