namespace ListeningTogether.Pipeline.Tests.Fixtures;

/// <summary>Where the test data lives: the MaxMind test databases beside the repository, and the real City database set-up installs.</summary>
public static class TestData
{
    private static readonly Lazy<string> RepositoryRoot = new(FindRepositoryRoot);

    /// <summary>The folder holding ListeningTogether.sln.</summary>
    public static string Root => RepositoryRoot.Value;

    /// <summary>The repository's tests/data/maxmind-test.</summary>
    public static string MaxMindTestDirectory => Path.GetFullPath(Path.Combine(Root, "tests", "data", "maxmind-test"));

    /// <summary>A MaxMind test database by file name, e.g. GeoIP2-City-Test.mmdb.</summary>
    public static string MaxMindTest(string fileName) => Path.Combine(MaxMindTestDirectory, fileName);

    public static string CityTest => MaxMindTest("GeoIP2-City-Test.mmdb");

    public static string LiteCityTest => MaxMindTest("GeoLite2-City-Test.mmdb");

    public static string AnonymousIpTest => MaxMindTest("GeoIP2-Anonymous-IP-Test.mmdb");

    /// <summary>The real GeoLite2 City database (installed by scripts/setup.sh; absent in a fresh clone).</summary>
    public static string RealCityDb => Path.Combine(Root, "data", "GeoLite2-City.mmdb");

    private static string FindRepositoryRoot()
    {
        string? directory = Path.GetDirectoryName(typeof(TestData).Assembly.Location);
        while (directory is not null)
        {
            if (File.Exists(Path.Combine(directory, "ListeningTogether.sln")))
            {
                return directory;
            }

            directory = Path.GetDirectoryName(directory);
        }

        throw new InvalidOperationException($"No folder above {typeof(TestData).Assembly.Location} holds ListeningTogether.sln.");
    }
}

/// <summary>A fact that needs the real GeoLite2 City database; skipped (with the reason) when it is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RealCityDbFactAttribute : FactAttribute
{
    public RealCityDbFactAttribute()
    {
        if (!File.Exists(TestData.RealCityDb))
        {
            Skip = $"{TestData.RealCityDb} is not installed (scripts/setup.sh installs it).";
        }
    }
}
