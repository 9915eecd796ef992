using System.Net;
using MaxMind.Db;

namespace ListeningTogether.Simulator.Tests;

[Collection(RealWorldCollection.Name)]
public sealed class CityNetworksTests(RealWorldFixture world)
{
    [Fact]
    public void GivenTheMaxMindTestDatabase_WhenLoaded_ThenTheNetworksAreThoseReaderFindAllGives_LessAliasesAndUnqualifiedRecords()
    {
        using var reader = new Reader(TestData.TestCityDb);
        var expected = reader.FindAll<GeoRecord>()
            .Where(n => n.Data.GeonameId is not null && n.Data.Location?.Latitude is not null && n.Data.Location?.Longitude is not null)
            .Where(n => n.Data.Location?.AccuracyRadius is null or <= 250)
            .Where(n => PublicRanges.IsPublic(n.Start, n.PrefixLength))
            .Select(n => $"{n.Start}/{n.PrefixLength} {n.Data.GeonameId}")
            .Order(StringComparer.Ordinal)
            .ToList();

        var networks = CityNetworks.Load(TestData.TestCityDb);
        var actual = networks.GeonameIds
            .SelectMany(id => networks.NetworksOf(id).Select(n => $"{n} {id}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal("GeoIP2-City", networks.DatabaseType);
        Assert.Contains("81.2.69.144/28 2643743", actual);
        Assert.Contains("2001:480:10::/48 5391811", actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void GivenTheRealDatabase_WhenLoaded_ThenItHasMillionsOfNetworksOfBothFamilies()
    {
        var networks = world.Cities.Networks;
        Assert.Equal("GeoLite2-City", networks.DatabaseType);
        Assert.True(networks.IPv4NetworkCount > 1_000_000, $"{networks.IPv4NetworkCount} IPv4 networks");
        Assert.True(networks.IPv6NetworkCount > 500_000, $"{networks.IPv6NetworkCount} IPv6 networks");
        Assert.True(world.Cities.Cities.Count > 20_000, $"{world.Cities.Cities.Count} cities");
    }

    [Fact]
    public void GivenTheRealDatabase_WhenSamplingNetworks_ThenReaderFindsTheSameCityAndPrefixAtBothEnds()
    {
        var networks = world.Cities.Networks;
        var random = new Random(11);
        for (int i = 0; i < 3_000; i++)
        {
            var city = world.Cities.Cities[random.Next(world.Cities.Cities.Count)];
            var cityNetworks = networks.NetworksOf(city.GeonameId);
            var network = cityNetworks[random.Next(cityNetworks.Count)];
            foreach (var address in new[] { network.FirstAddress, LastAddress(network) })
            {
                var record = world.Reader.Find<GeoRecord>(address, out int prefix);
                Assert.True(record?.GeonameId == city.GeonameId, $"{address} of {network} is in {record?.GeonameId}, not {city.GeonameId}");
                Assert.True(prefix == network.PrefixLength, $"{address} is in a /{prefix}, not in {network}");
            }
        }
    }

    [Fact]
    public void GivenTheRealDatabase_WhenLoaded_ThenNoNetworkTouchesANonPublicRangeOrAnAlias()
    {
        var networks = world.Cities.Networks;
        foreach (int id in networks.GeonameIds)
        {
            foreach (var network in networks.NetworksOf(id))
            {
                Assert.True(PublicRanges.IsPublic(network.FirstAddress, network.PrefixLength), $"{network} of {id} is not public");
            }
        }
    }

    [Fact]
    public void GivenFilesThatAreNotUsableCityDatabases_WhenLoaded_ThenTheErrorSaysWhy()
    {
        string folder = Path.GetDirectoryName(TestData.TestCityDb)!;
        string badNodeCount = Path.Combine(folder, "GeoIP2-City-Test-Invalid-Node-Count.mmdb");
        string notADatabase = Path.Combine(folder, "LICENSE-MIT");

        Assert.Equal(
            "MaxMind DB search tree of 100000 nodes does not fit in the file.",
            Assert.Throws<InvalidDataException>(() => CityNetworks.Load(badNodeCount)).Message);
        Assert.Equal(
            $"'{notADatabase}' is not a MaxMind DB file: no metadata marker.",
            Assert.Throws<InvalidDataException>(() => CityNetworks.Load(notADatabase)).Message);
        var asn = CityNetworks.Load(Path.Combine(folder, "GeoLite2-ASN-Test.mmdb"));
        Assert.Empty(asn.GeonameIds);
        Assert.Equal(
            "No city of the City database has a population in the GeoNames list, so there is nowhere to simulate plays from.",
            Assert.Throws<InvalidOperationException>(() => ListenerCities.Create(asn, [new GeoNamesCity(2643743, "London", "GB", 8_961_989, 51.5, -0.12)])).Message);
    }

    private static IPAddress LastAddress(IpNetwork network)
    {
        byte[] bytes = network.FirstAddress.GetAddressBytes();
        for (int bit = network.PrefixLength; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] |= (byte)(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }
}
