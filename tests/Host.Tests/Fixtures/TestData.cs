namespace ListeningTogether.Host.Tests.Fixtures;

/// <summary>
/// Where the test data lives: the repository root (the folder holding ListeningTogether.sln, found from the test
/// assembly) and the MaxMind test databases in tests/data/maxmind-test beside it.
/// </summary>
public static class TestData
{
    private static readonly Lazy<string> RepositoryRoot = new(FindRepositoryRoot);

    public static string Root => RepositoryRoot.Value;

    public static string MaxMindTest(string fileName) =>
        Path.GetFullPath(Path.Combine(Root, "tests", "data", "maxmind-test", fileName));

    /// <summary>GeoIP2-City-Test.mmdb: 81.2.69.142 is London, 89.160.20.112 Linköping, 216.160.83.56 Milton (US).</summary>
    public static string CityTestDb => MaxMindTest("GeoIP2-City-Test.mmdb");

    public static string BrokenDoubleFormatDb => MaxMindTest("GeoIP2-City-Test-Broken-Double-Format.mmdb");

    public static string InvalidNodeCountDb => MaxMindTest("GeoIP2-City-Test-Invalid-Node-Count.mmdb");

    public static string AnonymousIpTestDb => MaxMindTest("GeoIP2-Anonymous-IP-Test.mmdb");

    public static string Example(string fileName) =>
        Path.GetFullPath(Path.Combine(Root, "tests", "data", "coplay-examples", fileName));

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
