namespace ListeningTogether.Simulator.Tests;

/// <summary>The real data files set-up installs and the MaxMind test databases in tests/data/.</summary>
internal static class TestData
{
    private const string RunSetup = "run scripts/setup.sh";

    public static string RealCityDb => Require(SimulatorPaths.DataFile("GeoLite2-City.mmdb"), RunSetup);

    public static string CitiesPbf => Require(SimulatorPaths.CitiesPath(null), RunSetup);

    /// <summary>MaxMind's small GeoIP2-City-Test database (from the MaxMind-DB repository's test data).</summary>
    public static string TestCityDb => Require(
        Path.Combine(SimulatorPaths.RepositoryRoot() ?? ".", "tests", "data", "maxmind-test", "GeoIP2-City-Test.mmdb"),
        "the MaxMind test databases belong in tests/data/maxmind-test");

    private static string Require(string path, string remedy) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"Test data '{path}' is missing: {remedy}", path);
}
