using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Net;
using ListeningTogether.Pipeline.Tests.Fixtures;

namespace ListeningTogether.Pipeline.Tests.Geo;

/// <summary>The per-worker network cache must answer exactly as the database does, whatever the network sizes.</summary>
public class CityLookupCacheTests
{
    // Networks nested inside each other, of many prefix lengths, in both families.
    private static readonly (string Cidr, object Record)[] NestedNetworks =
    [
        ("1.0.0.0/8", MmdbWriter.CityRecord(1, "One", "XX", 1, 1, 1)),
        ("1.128.0.0/9", MmdbWriter.CityRecord(2, "Two", "XX", 2, 2, 2)),
        ("1.2.0.0/16", MmdbWriter.CityRecord(3, "Three", "XX", 3, 3, 3)),
        ("1.2.3.0/24", MmdbWriter.CityRecord(4, "Four", "XX", 4, 4, 4)),
        ("1.2.3.128/25", MmdbWriter.CityRecord(5, "Five", "XX", 5, 5, 5)),
        ("1.2.3.4/32", MmdbWriter.CityRecord(6, "Six", "XX", 6, 6, 6)),
        ("1.2.4.0/30", MmdbWriter.CityRecord(7, "Seven", "XX", 7, 7, 7)),
        ("2600::/12", MmdbWriter.CityRecord(8, "Eight", "XX", 8, 8, 8)),
        ("2600:1::/32", MmdbWriter.CityRecord(9, "Nine", "XX", 9, 9, 9)),
        ("2600:1:2::/48", MmdbWriter.CityRecord(10, "Ten", "XX", 10, 10, 10)),
        ("2600:1:2:3::/64", MmdbWriter.CityRecord(11, "Eleven", "XX", 11, 11, 11)),
        ("2600:1:2:3::4/128", MmdbWriter.CityRecord(12, "Twelve", "XX", 12, 12, 12)),
        ("2600:1:2:3:4::/80", MmdbWriter.CityRecord(13, "Thirteen", "XX", 13, 13, 13)),
    ];

    private static void AssertSameAnswers(CityDatabase cities, IEnumerable<IpAddress128> addresses)
    {
        var cache = new CityLookupCache(cities);
        foreach (IpAddress128 address in addresses)
        {
            int expectedOffset = cities.FindRecord(address);
            CityGeo? expected = cities.Lookup(address);

            int offset = cache.Lookup(address, out CityGeo? geo);

            Assert.True(
                (expectedOffset, expected?.Location, expected?.AccuracyRadiusKm) == (offset, geo?.Location, geo?.AccuracyRadiusKm),
                $"{address}: the database says {expected?.Location?.GeonameId} at {expectedOffset}, the cache {geo?.Location?.GeonameId} at {offset}");
        }
    }

    private static IEnumerable<IpAddress128> Around(Random random, int count, params string[] centres)
    {
        IpAddress128[] parsed = [.. centres.Select(CityDatabaseTests.Ip)];
        for (int i = 0; i < count; i++)
        {
            IpAddress128 centre = parsed[random.Next(parsed.Length)];
            int bits = centre.IsV4Text ? random.Next(0, 33) : random.Next(0, 129);
            UInt128 noise = (((UInt128)(ulong)random.NextInt64() << 64) | (ulong)random.NextInt64()) & (bits == 0 ? UInt128.Zero : UInt128.MaxValue >> (128 - bits));
            yield return centre.IsV4Text ? IpAddress128.FromV4(centre.V4 ^ (uint)noise) : new IpAddress128(centre.Value ^ noise, false);
        }
    }

    [Theory]
    [InlineData(6)]
    [InlineData(4)]
    public void GivenNestedNetworksOfManySizes_WhenNeighboursAreLookedUpThroughTheCache_ThenEachGetsTheDatabasesAnswer(int ipVersion)
    {
        var networks = ipVersion == 6 ? NestedNetworks : NestedNetworks.Where(n => !n.Cidr.Contains(':', StringComparison.Ordinal)).ToArray();
        using var file = new TempFile(MmdbWriter.Build(ipVersion, 28, "GeoIP2-City", networks));
        using CityDatabase cities = CityDatabase.Open(file.Path);
        var random = new Random(7);

        AssertSameAnswers(cities, Around(random, 20_000, "1.2.3.4", "1.2.3.200", "1.2.4.1", "1.200.0.1", "2.0.0.1", "2600:1:2:3::4", "2600:1:2:3:4::1", "2600:1:2:4::1", "2a00::1"));
    }

    [Fact]
    public void GivenAnAddressInASmallNetworkFirst_WhenItsWiderNeighbourIsLookedUp_ThenTheNeighbourGetsItsOwnAnswer()
    {
        using var file = new TempFile(MmdbWriter.Build(6, 24, "GeoIP2-City", NestedNetworks));
        using CityDatabase cities = CityDatabase.Open(file.Path);
        var cache = new CityLookupCache(cities);

        cache.Lookup(CityDatabaseTests.Ip("1.2.3.4"), out CityGeo? six);
        cache.Lookup(CityDatabaseTests.Ip("1.2.3.5"), out CityGeo? four);
        cache.Lookup(CityDatabaseTests.Ip("1.2.3.4"), out CityGeo? sixAgain);
        cache.Lookup(CityDatabaseTests.Ip("1.2.200.1"), out CityGeo? three);

        Assert.Equal([6L, 4L, 6L, 3L], new[] { six, four, sixAgain, three }.Select(g => g!.Location!.GeonameId));
    }

    [RealCityDbFact]
    public void GivenClusteredRandomAddresses_WhenLookedUpThroughTheCacheOnTheRealDatabase_ThenEachGetsTheDatabasesAnswer()
    {
        using CityDatabase cities = CityDatabase.Open(TestData.RealCityDb);
        var random = new Random(11);
        var centres = new List<string>();
        for (int i = 0; i < 200; i++)
        {
            centres.Add($"{random.Next(1, 224)}.{random.Next(256)}.{random.Next(256)}.{random.Next(256)}");
            centres.Add($"2{random.Next(0x001, 0xa10):x3}:{random.Next(0x10000):x}:{random.Next(0x10000):x}::{random.Next(0x10000):x}");
        }

        AssertSameAnswers(cities, Around(random, 30_000, [.. centres]).Where(PublicAddressClassifier.IsPublic));
    }
}
