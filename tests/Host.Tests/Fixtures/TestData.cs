using ListeningTogether.Tests.Shared;

namespace ListeningTogether.Host.Tests.Fixtures;

/// <summary>The test data this project uses, by name (<see cref="RepositoryPaths"/> says where it lives).</summary>
public static class TestData
{
    public static string Root => RepositoryPaths.Root;

    public static string MaxMindTest(string fileName) => RepositoryPaths.MaxMindTest(fileName);

    /// <summary>GeoIP2-City-Test.mmdb: 81.2.69.142 is London, 89.160.20.112 Linköping, 216.160.83.56 Milton (US).</summary>
    public static string CityTestDb => MaxMindTest("GeoIP2-City-Test.mmdb");

    public static string BrokenDoubleFormatDb => MaxMindTest("GeoIP2-City-Test-Broken-Double-Format.mmdb");

    public static string InvalidNodeCountDb => MaxMindTest("GeoIP2-City-Test-Invalid-Node-Count.mmdb");

    public static string AnonymousIpTestDb => MaxMindTest("GeoIP2-Anonymous-IP-Test.mmdb");

    public static string Example(string fileName) => RepositoryPaths.Example(fileName);

    public static string RealCityDb => RepositoryPaths.RealCityDb;
}
