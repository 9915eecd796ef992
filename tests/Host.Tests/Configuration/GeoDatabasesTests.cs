using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Tests.Fixtures;
using ListeningTogether.Pipeline.Geo;
using static ListeningTogether.Host.Tests.Fixtures.InMemorySettings;

namespace ListeningTogether.Host.Tests.Configuration;

/// <summary>A broken or missing MaxMind database stops the start with a message naming the file.</summary>
public sealed class GeoDatabasesTests
{
    [Fact]
    public void GivenTheTestCityDatabase_WhenOpened_ThenItIsTheCityDatabaseWithoutAnAnonymousIpOne()
    {
        using GeoDatabases databases = GeoDatabases.Open(new GeoOptions { CityDb = TestData.CityTestDb });

        Assert.Equal("GeoIP2-City", databases.Cities.DatabaseType);
        Assert.Equal(TestData.CityTestDb, databases.Cities.Path);
        Assert.Null(databases.AnonymousIps);
    }

    [Fact]
    public void GivenADatabaseWithABrokenDouble_WhenOpened_ThenTheErrorNamesTheFileAndTheCorruption()
    {
        var e = Assert.Throws<GeoDatabaseException>(() => GeoDatabases.Open(new GeoOptions { CityDb = TestData.BrokenDoubleFormatDb }));

        Assert.StartsWith(
            $"MaxMind database '{TestData.BrokenDoubleFormatDb}' cannot be used: its data section is corrupt (a double was expected at offset ",
            e.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void GivenADatabaseWithAnInvalidNodeCount_WhenOpened_ThenTheErrorNamesTheFileAndTheNodeCount()
    {
        var e = Assert.Throws<GeoDatabaseException>(() => GeoDatabases.Open(new GeoOptions { CityDb = TestData.InvalidNodeCountDb }));

        Assert.Equal($"MaxMind database '{TestData.InvalidNodeCountDb}' cannot be used: node count 100000 does not fit the file.", e.Message);
    }

    [Fact]
    public void GivenAMissingCityDatabase_WhenOpened_ThenTheErrorNamesTheFileAndHowToGetIt()
    {
        string missing = Path.Combine(Path.GetTempPath(), "lt-host-tests-missing", "GeoLite2-City.mmdb");

        var e = Assert.Throws<GeoDatabaseException>(() => GeoDatabases.Open(new GeoOptions { CityDb = missing }));

        Assert.Equal(
            $"MaxMind database '{missing}' cannot be used: the file does not exist (run scripts/setup.sh to install the GeoLite2 City database, or set Geo:CityDb).",
            e.Message);
    }

    [Fact]
    public void GivenAnAnonymousIpDatabaseAsTheCityDatabase_WhenOpened_ThenTheErrorNamesTheFileAndBothTypes()
    {
        var e = Assert.Throws<GeoDatabaseException>(() => GeoDatabases.Open(new GeoOptions { CityDb = TestData.AnonymousIpTestDb }));

        Assert.Equal($"MaxMind database '{TestData.AnonymousIpTestDb}' cannot be used: it is a GeoIP2-Anonymous-IP database, expected City.", e.Message);
    }

    [Fact]
    public void GivenAMissingAnonymousIpDatabase_WhenOpened_ThenTheErrorNamesTheFileAndItsSetting()
    {
        string missing = Path.Combine(Path.GetTempPath(), "lt-host-tests-missing", "GeoIP2-Anonymous-IP.mmdb");

        var e = Assert.Throws<GeoDatabaseException>(() => GeoDatabases.Open(new GeoOptions { CityDb = TestData.CityTestDb, AnonymousIpDb = missing }));

        Assert.Equal($"MaxMind database '{missing}' cannot be used: the file does not exist (check Geo:AnonymousIpDb).", e.Message);
    }

    [Theory]
    [InlineData("GeoIP2-City-Test-Broken-Double-Format.mmdb")]
    [InlineData("GeoIP2-City-Test-Invalid-Node-Count.mmdb")]
    public void GivenABrokenCityDatabaseAndNoSimulator_WhenTheRunHostIsBuilt_ThenItFailsNamingTheFile(string fileName)
    {
        string path = TestData.MaxMindTest(fileName);

        // The databases are opened while the host is built, before anything starts.
        var e = Assert.Throws<GeoDatabaseException>(() => RunCommand.Build(Settings(("Geo:CityDb", path), ("Simulator:Enabled", "false"), ("Urls", "http://127.0.0.1:0"))));

        Assert.Equal(path, e.Path);
    }

    [Theory]
    [InlineData("GeoIP2-City-Test-Broken-Double-Format.mmdb")]
    [InlineData("GeoIP2-City-Test-Invalid-Node-Count.mmdb")]
    public void GivenABrokenCityDatabaseAndTheSimulator_WhenTheRunHostIsBuilt_ThenItFailsWithAGeoDatabaseErrorNamingTheFile(string fileName)
    {
        // The simulator reads the City database itself; its failure must be as clear (exit 2, file named).
        string path = TestData.MaxMindTest(fileName);

        var e = Assert.Throws<GeoDatabaseException>(() => RunCommand.Build(Settings(("Geo:CityDb", path), ("Urls", "http://127.0.0.1:0"))));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }
}
