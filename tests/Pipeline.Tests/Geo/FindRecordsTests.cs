using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Net;
using ListeningTogether.Pipeline.Tests.Fixtures;

namespace ListeningTogether.Pipeline.Tests.Geo;

/// <summary>The batch lookup interleaves many tree walks; each address must still get exactly its own walk's answer.</summary>
public class FindRecordsTests
{
    // Nested networks of many prefix lengths in both families, so walks of very different lengths run side by side.
    private static readonly (string Cidr, object Record)[] Networks =
    [
        ("1.0.0.0/8", MmdbWriter.CityRecord(1, "One", "XX", 1, 1, 1)),
        ("1.2.0.0/16", MmdbWriter.CityRecord(3, "Three", "XX", 3, 3, 3)),
        ("1.2.3.0/24", MmdbWriter.CityRecord(4, "Four", "XX", 4, 4, 4)),
        ("1.2.3.128/25", MmdbWriter.CityRecord(5, "Five", "XX", 5, 5, 5)),
        ("1.2.3.4/32", MmdbWriter.CityRecord(6, "Six", "XX", 6, 6, 6)),
        ("9.9.9.0/30", MmdbWriter.CityRecord(7, "Seven", "XX", 7, 7, 7)),
        ("2600::/12", MmdbWriter.CityRecord(8, "Eight", "XX", 8, 8, 8)),
        ("2600:1:2::/48", MmdbWriter.CityRecord(10, "Ten", "XX", 10, 10, 10)),
        ("2600:1:2:3::/64", MmdbWriter.CityRecord(11, "Eleven", "XX", 11, 11, 11)),
        ("2600:1:2:3::4/128", MmdbWriter.CityRecord(12, "Twelve", "XX", 12, 12, 12)),
    ];

    private static readonly string[] Centres =
        ["1.2.3.4", "1.2.3.200", "9.9.9.1", "1.200.0.1", "8.8.8.8", "2600:1:2:3::4", "2600:1:2:4::1", "2a00::1", "::ffff:1.2.3.4", "::1"];

    [Theory]
    [InlineData(6, 24)]
    [InlineData(6, 28)]
    [InlineData(6, 32)]
    [InlineData(4, 28)]
    public void GivenAddressesAroundNetworksOfManySizes_WhenFoundInOneBatch_ThenEachOffsetIsTheOneByOneAnswer(int ipVersion, int recordSize)
    {
        var networks = ipVersion == 6 ? Networks : [.. Networks.Where(n => !n.Cidr.Contains(':', StringComparison.Ordinal))];
        using var file = new TempFile(MmdbWriter.Build(ipVersion, recordSize, "GeoIP2-City", networks));
        using CityDatabase cities = CityDatabase.Open(file.Path);
        IpAddress128[] addresses = [.. Around(new Random(ipVersion * 100 + recordSize), 5_000)];
        var offsets = new int[addresses.Length];

        cities.FindRecords(addresses, offsets);

        int[] expected = [.. addresses.Select(cities.FindRecord)];
        Assert.Equal(expected, offsets);
        Assert.Contains(expected, o => o >= 0);
        Assert.Contains(expected, o => o < 0);
    }

    [Fact]
    public void GivenAnEmptyBatch_WhenFound_ThenNothingIsWritten()
    {
        using var file = new TempFile(MmdbWriter.Build(6, 28, "GeoIP2-City", Networks));
        using CityDatabase cities = CityDatabase.Open(file.Path);
        int[] offsets = [42];

        cities.FindRecords([], offsets);

        Assert.Equal([42], offsets);
    }

    [Theory]
    [InlineData(6, 24, 1)]
    [InlineData(6, 28, 5_000)]
    [InlineData(6, 32, 20_000)]
    [InlineData(4, 28, 5_000)]
    public void GivenAddressesInArrivalOrder_WhenFoundInAddressOrder_ThenEachOffsetIsStillItsOwnAndInPlace(int ipVersion, int recordSize, int count)
    {
        var networks = ipVersion == 6 ? Networks : [.. Networks.Where(n => !n.Cidr.Contains(':', StringComparison.Ordinal))];
        using var file = new TempFile(MmdbWriter.Build(ipVersion, recordSize, "GeoIP2-City", networks));
        using CityDatabase cities = CityDatabase.Open(file.Path);
        var lookup = new AddressOrderLookup(cities);
        var random = new Random(count);

        // Twice with one lookup: its buffers are kept, and a smaller second batch must not see the first's leftovers.
        foreach (int size in new[] { count, count / 2 })
        {
            IpAddress128[] addresses = [.. Around(random, size)];
            var offsets = new int[size];

            lookup.FindRecords(addresses, offsets);

            Assert.Equal(addresses.Select(cities.FindRecord), offsets);
        }
    }

    [Fact]
    public void GivenTheSameAddressManyTimesAndBothFamilies_WhenFoundInAddressOrder_ThenDuplicatesAllGetTheAnswer()
    {
        using var file = new TempFile(MmdbWriter.Build(6, 28, "GeoIP2-City", Networks));
        using CityDatabase cities = CityDatabase.Open(file.Path);
        IpAddress128[] addresses = [.. Enumerable.Repeat(Centres, 50).SelectMany(c => c).Select(CityDatabaseTests.Ip).Reverse()];
        var offsets = new int[addresses.Length];

        new AddressOrderLookup(cities).FindRecords(addresses, offsets);

        Assert.Equal(addresses.Select(cities.FindRecord), offsets);
    }

    private static IEnumerable<IpAddress128> Around(Random random, int count)
    {
        IpAddress128[] centres = [.. Centres.Select(CityDatabaseTests.Ip)];
        for (int i = 0; i < count; i++)
        {
            IpAddress128 centre = centres[random.Next(centres.Length)];
            int bits = centre.IsV4Text ? random.Next(0, 33) : random.Next(0, 129);
            UInt128 noise = (((UInt128)(ulong)random.NextInt64() << 64) | (ulong)random.NextInt64()) & (bits == 0 ? UInt128.Zero : UInt128.MaxValue >> (128 - bits));
            yield return centre.IsV4Text ? IpAddress128.FromV4(centre.V4 ^ (uint)noise) : new IpAddress128(centre.Value ^ noise, false);
        }
    }
}
