using ListeningTogether.Tests.Shared;

namespace ListeningTogether.Pipeline.Tests.Fixtures;

/// <summary>The test data this project uses, by name (<see cref="RepositoryPaths"/> says where it lives).</summary>
public static class TestData
{
    public static string Root => RepositoryPaths.Root;

    /// <summary>The repository's tests/data/maxmind-test.</summary>
    public static string MaxMindTestDirectory => Path.GetDirectoryName(MaxMindTest("GeoIP2-City-Test.mmdb"))!;

    /// <summary>A MaxMind test database by file name, e.g. GeoIP2-City-Test.mmdb.</summary>
    public static string MaxMindTest(string fileName) => RepositoryPaths.MaxMindTest(fileName);

    public static string CityTest => MaxMindTest("GeoIP2-City-Test.mmdb");

    public static string LiteCityTest => MaxMindTest("GeoLite2-City-Test.mmdb");

    public static string AnonymousIpTest => MaxMindTest("GeoIP2-Anonymous-IP-Test.mmdb");

    /// <summary>The real GeoLite2 City database (installed by scripts/setup.sh; absent in a fresh clone).</summary>
    public static string RealCityDb => RepositoryPaths.RealCityDbPath;
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
