using System.Net;
using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Net;
using ListeningTogether.Pipeline.Tests.Fixtures;
using MaxMind.Db;

namespace ListeningTogether.Pipeline.Tests.Geo;

/// <summary>City lookups on MaxMind's test databases (their .json sources say which network maps where).</summary>
public class CityDatabaseTests
{
    private static readonly Location London = new(2643743, "London", "GB", 51.5142, -0.0931);
    private static readonly Location Linkoping = new(2694762, "Linköping", "SE", 58.4167, 15.6167);
    private static readonly Location Changchun = new(2038180, "Changchun", "CN", 43.88, 125.3228);
    private static readonly Location Milton = new(5803556, "Milton", "US", 47.2513, -122.3149);
    private static readonly Location Singapore = new(1880252, "Singapore", "SG", 1.336, 103.7716);
    private static readonly Location Melbourne = new(2158177, "Melbourne", "AU", -37.8159, 144.9669);
    private static readonly Location SanDiegoV4 = new(5391811, "San Diego", "US", 32.7405, -117.0935);
    private static readonly Location SanDiegoV6 = new(5391811, "San Diego", "US", 32.7203, -117.1552);

    /// <summary>Asserts a lookup's answer: a record with this location (or none) and this radius.</summary>
    internal static void AssertGeo(Location? location, int? accuracyRadiusKm, CityGeo? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(location, actual.Location);
        Assert.Equal(accuracyRadiusKm, actual.AccuracyRadiusKm);
    }

    internal static IpAddress128 Ip(string text)
    {
        Assert.True(StrictIpParser.TryParse(Encoding.UTF8.GetBytes(text), out IpAddress128 address), $"'{text}' should parse");
        return address;
    }

    public static TheoryData<string, Location, int> CityNetworks => new()
    {
        { "81.2.69.142", London, 10 },
        { "81.2.69.143", London, 10 },
        { "81.2.69.144", London, 3 },
        { "81.2.69.159", London, 3 },
        { "81.2.69.160", London, 100 },
        { "81.2.69.207", London, 100 },
        { "89.160.20.112", Linkoping, 76 },
        { "89.160.20.255", Linkoping, 76 },
        { "175.16.199.0", Changchun, 100 },
        { "175.16.199.255", Changchun, 100 },
        { "216.160.83.63", Milton, 22 },
        { "214.0.0.1", Singapore, 10 },
        { "214.0.1.1", Melbourne, 20 },
        { "214.78.120.1", SanDiegoV4, 100 },
        { "214.78.123.255", SanDiegoV4, 100 },
        { "2001:480:10::1", SanDiegoV6, 20 },
        { "2001:480:10:ffff:ffff:ffff:ffff:ffff", SanDiegoV6, 20 },
    };

    [Theory]
    [MemberData(nameof(CityNetworks))]
    public void GivenAnAddressInACityNetworkOfTheGeoIp2TestDatabase_WhenLookedUp_ThenItsCityCoordinatesAndRadiusAreReturned(string address, Location expected, int radiusKm)
    {
        using CityDatabase cities = CityDatabase.Open(TestData.CityTest);

        AssertGeo(expected, radiusKm, cities.Lookup(Ip(address)));
    }

    [Theory]
    [InlineData("2001:218::1", 100)]        // Japan, no city
    [InlineData("2a02:d3c0::1", 100)]       // Great Britain, no city
    [InlineData("2a02:d500::1", 100)]       // coordinates only, no country, no city
    [InlineData("149.101.100.1", 1000)]     // United States, no city
    [InlineData("216.160.83.64", 1000)]
    [InlineData("67.43.156.1", 534)]
    [InlineData("202.196.224.1", 121)]
    [InlineData("214.78.124.1", 100)]
    [InlineData("214.1.1.1", null)]         // an empty record
    [InlineData("2.3.3.1", null)]
    public void GivenANetworkWithoutACity_WhenLookedUp_ThenTheRecordHasNoLocation(string address, int? radiusKm)
    {
        using CityDatabase cities = CityDatabase.Open(TestData.CityTest);

        AssertGeo(null, radiusKm, cities.Lookup(Ip(address)));
    }

    [Theory]
    [InlineData("1.1.1.1")]
    [InlineData("81.2.69.141")]
    [InlineData("81.2.69.208")]
    [InlineData("8.8.8.8")]
    [InlineData("2001:480:11::1")]
    [InlineData("2c0f:ff00::1")]
    [InlineData("2001:db8::1")]
    public void GivenAnAddressInNoNetwork_WhenLookedUp_ThenThereIsNoRecord(string address)
    {
        using CityDatabase cities = CityDatabase.Open(TestData.CityTest);

        Assert.Null(cities.Lookup(Ip(address)));
    }

    [Theory]
    [InlineData("214.78.0.1", 32.6783, -117.1291, 10)]
    [InlineData("214.78.31.255", 32.6783, -117.1291, 10)]
    [InlineData("2001:480::1", 32.7203, -117.1552, 50)]
    [InlineData("2001:480:1f:ffff::1", 32.7203, -117.1552, 50)]
    public void GivenTheGeoLite2TestDatabase_WhenSanDiegoNetworksAreLookedUp_ThenEachNetworkGivesItsOwnCoordinates(string address, double lat, double lon, int radiusKm)
    {
        using CityDatabase cities = CityDatabase.Open(TestData.LiteCityTest);

        AssertGeo(new Location(5391811, "San Diego", "US", lat, lon), radiusKm, cities.Lookup(Ip(address)));
    }

    [Theory]
    [InlineData("GeoIP2-City-Test.mmdb", "GeoIP2-City")]
    [InlineData("GeoLite2-City-Test.mmdb", "GeoLite2-City")]
    public void GivenATestCityDatabase_WhenOpened_ThenItsTypeAndUtcBuildTimeAreTheMetadatas(string file, string type)
    {
        string path = TestData.MaxMindTest(file);
        using var reader = new Reader(path);

        using CityDatabase cities = CityDatabase.Open(path);

        Assert.Equal(type, cities.DatabaseType);
        Assert.Equal(TimeSpan.Zero, cities.BuildTime.Offset);
        Assert.Equal(reader.Metadata.BuildDate, cities.BuildTime.UtcDateTime);
        Assert.Equal(path, cities.Path);
    }

    [Theory]
    [InlineData("::ffff:81.2.69.142")]   // IPv4-mapped
    [InlineData("::81.2.69.142")]        // IPv4-compatible: the test database's IPv4 networks live at ::/96
    [InlineData("2002:5102:458e::1")]    // 6to4 of 81.2.69.142: looked up as given
    [InlineData("2001:0:5102:458e::1")]  // Teredo
    [InlineData("::ffff:214.78.120.1")]
    [InlineData("::ffff:1.1.1.1")]
    public void GivenAnIpv6FormOfAnIpv4Address_WhenLookedUp_ThenTheAnswerIsMaxMindsForThatAddressAsGiven(string address)
    {
        using var reader = new Reader(TestData.CityTest);
        using CityDatabase cities = CityDatabase.Open(TestData.CityTest);

        CityGeo? geo = cities.Lookup(Ip(address));

        Dictionary<string, object>? record = reader.Find<Dictionary<string, object>>(IPAddress.Parse(address));
        Assert.Equal(MaxMindAnswer.GeonameId(record), geo?.Location?.GeonameId);
        Assert.Equal(MaxMindAnswer.AccuracyRadius(record), geo?.AccuracyRadiusKm);
        Assert.Equal(record is null, geo is null);
    }

    [Fact]
    public void GivenAnAddressLookedUpTwice_WhenTheSecondLookupHitsTheRecordCache_ThenTheAnswerIsTheSame()
    {
        using CityDatabase cities = CityDatabase.Open(TestData.CityTest);

        CityGeo? first = cities.Lookup(Ip("81.2.69.160"));
        CityGeo? second = cities.Lookup(Ip("81.2.69.190"));

        AssertGeo(London, 100, first);
        Assert.Same(first, second);
    }

    [RealCityDbFact]
    public void GivenRecordsThatGiveTheSamePlace_WhenResolved_ThenTheyShareOneLocationInstance()
    {
        using CityDatabase cities = CityDatabase.Open(TestData.RealCityDb);

        var places = cities.SampleRecords(20_000)
            .Select(sample => cities.Resolve(sample.Offset).Location)
            .OfType<Location>()
            .GroupBy(place => place)
            .Where(group => group.Count() > 1)
            .ToList();

        // The real database has many records of one city at one spot (they differ in other fields).
        Assert.NotEmpty(places);
        Assert.All(places, group => Assert.All(group, place => Assert.Same(group.First(), place)));
    }

    // Databases that cannot be used

    [Fact]
    public void GivenTheCityTestDatabaseWithABrokenDouble_WhenOpened_ThenAGeoDatabaseExceptionSaysItsDataIsCorrupt()
    {
        string path = TestData.MaxMindTest("GeoIP2-City-Test-Broken-Double-Format.mmdb");

        var e = Assert.Throws<GeoDatabaseException>(() => CityDatabase.Open(path));

        Assert.StartsWith($"MaxMind database '{path}' cannot be used: its data section is corrupt (", e.Message, StringComparison.Ordinal);
        Assert.Equal(path, e.Path);
    }

    [Fact]
    public void GivenTheCityTestDatabaseWithAnInvalidNodeCount_WhenOpened_ThenAGeoDatabaseExceptionSaysTheNodeCountDoesNotFit()
    {
        string path = TestData.MaxMindTest("GeoIP2-City-Test-Invalid-Node-Count.mmdb");

        var e = Assert.Throws<GeoDatabaseException>(() => CityDatabase.Open(path));

        Assert.Equal($"MaxMind database '{path}' cannot be used: node count 100000 does not fit the file.", e.Message);
        Assert.Equal(path, e.Path);
    }

    [Fact]
    public void GivenAMissingCityDatabaseFile_WhenOpened_ThenAGeoDatabaseExceptionNamesTheFileAndTheSetting()
    {
        string path = Path.Combine(TestData.MaxMindTestDirectory, "No-Such-City.mmdb");

        var e = Assert.Throws<GeoDatabaseException>(() => CityDatabase.Open(path));

        Assert.Equal(
            $"MaxMind database '{path}' cannot be used: the file does not exist (run scripts/setup.sh to install the GeoLite2 City database, or set Geo:CityDb).",
            e.Message);
        Assert.Equal(path, e.Path);
    }

    [Fact]
    public void GivenAnAsnDatabaseAsTheCityDatabase_WhenOpened_ThenAGeoDatabaseExceptionSaysWhatItIs()
    {
        string path = TestData.MaxMindTest("GeoLite2-ASN-Test.mmdb");

        var e = Assert.Throws<GeoDatabaseException>(() => CityDatabase.Open(path));

        Assert.Equal($"MaxMind database '{path}' cannot be used: it is a GeoLite2-ASN database, expected City.", e.Message);
    }

    [Fact]
    public void GivenAnAnonymousIpDatabaseAsTheCityDatabase_WhenOpened_ThenAGeoDatabaseExceptionSaysWhatItIs()
    {
        string path = TestData.AnonymousIpTest;

        var e = Assert.Throws<GeoDatabaseException>(() => CityDatabase.Open(path));

        Assert.Equal($"MaxMind database '{path}' cannot be used: it is a GeoIP2-Anonymous-IP database, expected City.", e.Message);
    }

    [Fact]
    public void GivenAFileThatIsNotAMaxMindDatabase_WhenOpened_ThenAGeoDatabaseExceptionNamesTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"not-a-database-{Guid.NewGuid():N}.mmdb");
        File.WriteAllText(path, "{\"this\":\"is json\"}");
        try
        {
            var e = Assert.Throws<GeoDatabaseException>(() => CityDatabase.Open(path));

            Assert.StartsWith($"MaxMind database '{path}' cannot be used: ", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

/// <summary>Reads what MaxMind.Db's own reader decodes into a dictionary.</summary>
internal static class MaxMindAnswer
{
    public static object? Get(Dictionary<string, object>? record, string part, string field) =>
        record is not null && record.TryGetValue(part, out object? p) && p is Dictionary<string, object> map && map.TryGetValue(field, out object? v) ? v : null;

    public static long? GeonameId(Dictionary<string, object>? record)
    {
        object? id = Get(record, "city", "geoname_id");
        object? lat = Get(record, "location", "latitude");
        object? lon = Get(record, "location", "longitude");
        return id is null || lat is null || lon is null ? null : Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture);
    }

    public static int? AccuracyRadius(Dictionary<string, object>? record) =>
        Get(record, "location", "accuracy_radius") is { } r ? Convert.ToInt32(r, System.Globalization.CultureInfo.InvariantCulture) : null;
}
