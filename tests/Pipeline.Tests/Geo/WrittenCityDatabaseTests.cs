using System.Net;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Tests.Fixtures;
using MaxMind.Db;
using static ListeningTogether.Pipeline.Tests.Geo.CityDatabaseTests;

namespace ListeningTogether.Pipeline.Tests.Geo;

/// <summary>
/// City databases written by the test (<see cref="MmdbWriter"/>): records MaxMind's test files lack, and every
/// record size and IP version the tree walk supports, checked against MaxMind.Db's own reader.
/// </summary>
public class WrittenCityDatabaseTests
{
    public static readonly (string Cidr, object Record)[] Networks =
    [
        ("1.0.0.0/8", MmdbWriter.CityRecord(1850147, "Tokyo", "JP", 35.6895, 139.69171, accuracyRadius: null)),
        ("2.0.0.0/8", MmdbWriter.CityRecord(3936456, "Lima", "PE", lat: null, lon: null, accuracyRadius: 5)),
        ("3.0.0.0/8", MmdbWriter.CityRecord(null, null, "FR", 46, 2, 100)),
        ("4.0.0.0/8", MmdbWriter.CityRecord(1853909, "Osaka", "JP", 34.6937, 135.5022, 500)),
        ("5.0.0.0/8", MmdbWriter.CityRecord(2193733, null, "NZ", -36.84853, 174.76349, 1)),
        ("6.0.0.0/8", MmdbWriter.CityRecord(2147714, "Sydney", null, -33.86785, 151.20732, 20)),
        ("7.0.0.0/8", MmdbWriter.CityRecord(3117735, "Madrid", "ES", 40.4165, lon: null, 20)),
        ("7.128.0.0/9", MmdbWriter.CityRecord(3117735, "Madrid", "ES", 40.4165, -3.70256, 20)),
        ("8.8.8.0/24", MmdbWriter.CityRecord(5391811, "San Diego", "US", 32.7405, -117.0935, 250)),
        ("8.8.9.0/32", MmdbWriter.CityRecord(5391811, "San Diego", "US", 32.7203, -117.1552, 251)),
    ];

    public static readonly (string Cidr, object Record)[] Ipv6Networks =
    [
        ("2600::/12", MmdbWriter.CityRecord(4930956, "Boston", "US", 42.35843, -71.05977, 10)),
        ("2a00:1450::/32", MmdbWriter.CityRecord(2950159, "Berlin", "DE", 52.52437, 13.41053, null)),
        ("2c0f:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", MmdbWriter.CityRecord(3936456, "Lima", "PE", -12.0432, -77.0282, 1)),
    ];

    public static TheoryData<string, Location?, int?> Expected => new()
    {
        { "1.2.3.4", new Location(1850147, "Tokyo", "JP", 35.6895, 139.69171), null },
        { "2.2.3.4", null, 5 },                                  // a city without coordinates
        { "3.2.3.4", null, 100 },                                // coordinates without a city
        { "4.255.255.255", new Location(1853909, "Osaka", "JP", 34.6937, 135.5022), 500 },
        { "5.0.0.0", new Location(2193733, null, "NZ", -36.84853, 174.76349), 1 },
        { "6.1.1.1", new Location(2147714, "Sydney", null, -33.86785, 151.20732), 20 },
        { "7.1.1.1", null, 20 },                                 // a latitude without a longitude
        { "7.128.0.1", new Location(3117735, "Madrid", "ES", 40.4165, -3.70256), 20 },
        { "8.8.8.8", new Location(5391811, "San Diego", "US", 32.7405, -117.0935), 250 },
        { "8.8.9.0", new Location(5391811, "San Diego", "US", 32.7203, -117.1552), 251 },
    };

    [Theory]
    [InlineData(4, 24, 0)]
    [InlineData(4, 28, 0)]
    [InlineData(4, 32, 0)]
    [InlineData(6, 24, 0)]
    [InlineData(6, 28, 0)]
    [InlineData(6, 32, 0)]
    [InlineData(6, 28, 1 << 24)] // record values above 2^24 use the 28-bit records' shared nibble
    [InlineData(4, 32, 1 << 24)]
    public void GivenAWrittenCityDatabase_WhenEveryNetworkIsLookedUp_ThenTheRecordsAreReadExactlyAsMaxMindReadsThem(int ipVersion, int recordSize, int padding)
    {
        var networks = ipVersion == 6 ? Networks.Concat(Ipv6Networks) : Networks;
        using var file = new TempFile(MmdbWriter.Build(ipVersion, recordSize, "GeoIP2-City", networks, padding));
        using var reader = new Reader(file.Path);

        using CityDatabase cities = CityDatabase.Open(file.Path);

        foreach (object?[] row in Expected)
        {
            string address = (string)row[0]!;
            AssertGeo((Location?)row[1], (int?)row[2], cities.Lookup(Ip(address)));
            Assert.Equal(MaxMindAnswer.GeonameId(reader.Find<Dictionary<string, object>>(IPAddress.Parse(address))), cities.Lookup(Ip(address))?.Location?.GeonameId);
        }

        foreach (string absent in new[] { "9.0.0.1", "8.8.9.1", "8.8.7.255", "0.0.0.1", "255.255.255.255" })
        {
            Assert.Null(cities.Lookup(Ip(absent)));
        }

        if (ipVersion == 6)
        {
            AssertGeo(new Location(4930956, "Boston", "US", 42.35843, -71.05977), 10, cities.Lookup(Ip("260f:ffff::1")));
            AssertGeo(new Location(2950159, "Berlin", "DE", 52.52437, 13.41053), null, cities.Lookup(Ip("2a00:1450:4001::1")));
            AssertGeo(new Location(3936456, "Lima", "PE", -12.0432, -77.0282), 1, cities.Lookup(Ip("2c0f:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
            Assert.Null(cities.Lookup(Ip("2c0f:ffff:ffff:ffff:ffff:ffff:ffff:fffe")));
            Assert.Null(cities.Lookup(Ip("2610::1")));
            AssertGeo(new Location(1850147, "Tokyo", "JP", 35.6895, 139.69171), null, cities.Lookup(Ip("::1.2.3.4")));
        }
        else
        {
            // An IPv4 database holds no IPv6 address; the IPv4-mapped form is judged as its IPv4 address.
            Assert.Null(cities.Lookup(Ip("2600::1")));
        }
    }

    [Fact]
    public void GivenTheWrittenDatabase_WhenOpened_ThenItsMetadataIsRead()
    {
        using var file = new TempFile(MmdbWriter.Build(4, 24, "GeoLite2-City", Networks));

        using CityDatabase cities = CityDatabase.Open(file.Path);

        Assert.Equal("GeoLite2-City", cities.DatabaseType);
        Assert.Equal(new DateTimeOffset(2025, 11, 27, 0, 0, 0, TimeSpan.Zero), cities.BuildTime);
    }

    [Fact]
    public void GivenMetadataWhoseLanguagesArrayHoldsAPointer_WhenOpened_ThenTheDatabaseOpensAsMaxMindsReaderOpensIt()
    {
        // MaxMind's own writer deduplicates metadata strings this way (every file in maxmind-test/ does it).
        using var file = new TempFile(MmdbWriter.Build(6, 28, "GeoIP2-City", Networks, languagesByPointer: true));
        using var reader = new Reader(file.Path);
        Assert.Equal(["en"], reader.Metadata.Languages);

        using CityDatabase cities = CityDatabase.Open(file.Path);

        AssertGeo(new Location(1850147, "Tokyo", "JP", 35.6895, 139.69171), null, cities.Lookup(Ip("1.2.3.4")));
    }

    [Fact]
    public void GivenATreeRecordPointingPastTheDataSection_WhenOpened_ThenAGeoDatabaseExceptionNamesTheFile()
    {
        byte[] bytes = MmdbWriter.Build(4, 24, "GeoIP2-City", Networks);
        // Node 0's left record (0.0.0.0/1) now points far beyond the data section.
        bytes[0] = 0xFF;
        bytes[1] = 0xFF;
        bytes[2] = 0xF0;
        using var file = new TempFile(bytes);

        var e = Assert.Throws<GeoDatabaseException>(() => CityDatabase.Open(file.Path));

        Assert.Equal($"MaxMind database '{file.Path}' cannot be used: search tree node 0 points outside the data section.", e.Message);
    }

    [Fact]
    public void GivenATruncatedDatabase_WhenOpened_ThenAGeoDatabaseExceptionNamesTheFile()
    {
        byte[] bytes = MmdbWriter.Build(4, 24, "GeoIP2-City", Networks);
        using var file = new TempFile(bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<GeoDatabaseException>(() => CityDatabase.Open(file.Path));

        Assert.StartsWith($"MaxMind database '{file.Path}' cannot be used: ", e.Message, StringComparison.Ordinal);
    }
}
