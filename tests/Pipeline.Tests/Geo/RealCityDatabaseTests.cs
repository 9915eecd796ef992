using System.Net;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Net;
using ListeningTogether.Pipeline.Tests.Fixtures;
using MaxMind.Db;

namespace ListeningTogether.Pipeline.Tests.Geo;

/// <summary>The tree walk and record cache against MaxMind.Db's own reader on the real GeoLite2 City database.</summary>
public class RealCityDatabaseTests
{
    [RealCityDbFact]
    public void GivenThousandsOfRandomPublicAddresses_WhenLookedUp_ThenEachAgreesWithMaxMindsReader()
    {
        var random = new Random(20261126);
        var addresses = new List<IpAddress128>();
        while (addresses.Count < 3000)
        {
            var v4 = IpAddress128.FromV4((uint)random.NextInt64(0, 1L << 32));
            if (PublicAddressClassifier.IsPublic(v4))
            {
                addresses.Add(v4);
            }
        }

        ushort[] allocatedV6 = [0x2001, 0x2003, 0x2400, 0x2401, 0x2404, 0x2600, 0x2601, 0x2602, 0x2606, 0x2607, 0x2800, 0x2803, 0x2a00, 0x2a01, 0x2a02, 0x2a0e, 0x2c0f];
        for (int i = 0; i < 2000; i++)
        {
            UInt128 rest = new((ulong)random.NextInt64() & 0x0000_FFFF_FFFF_FFFFUL, (ulong)random.NextInt64());
            var v6 = new IpAddress128(((UInt128)allocatedV6[random.Next(allocatedV6.Length)] << 112) | rest, false);
            addresses.Add(v6);
        }

        using var reader = new Reader(TestData.RealCityDb);
        using CityDatabase cities = CityDatabase.Open(TestData.RealCityDb);

        int withCity = 0, withoutCity = 0, absent = 0;
        var disagreements = new List<string>();
        foreach (IpAddress128 address in addresses)
        {
            CityGeo? ours = cities.Lookup(address);
            Dictionary<string, object>? theirs = reader.Find<Dictionary<string, object>>(ToIpAddress(address));
            long? expectedId = MaxMindAnswer.GeonameId(theirs);
            int? expectedRadius = MaxMindAnswer.AccuracyRadius(theirs);
            bool agrees = (ours is null) == (theirs is null)
                && ours?.Location?.GeonameId == expectedId
                && ours?.AccuracyRadiusKm == expectedRadius
                && (expectedId is null || (ours!.Location!.Lat == (double)MaxMindAnswer.Get(theirs, "location", "latitude")!
                    && ours.Location.Lon == (double)MaxMindAnswer.Get(theirs, "location", "longitude")!));
            if (!agrees)
            {
                disagreements.Add($"{address}: ours {ours}, MaxMind geoname {expectedId} radius {expectedRadius}");
            }

            _ = theirs is null ? absent++ : expectedId is null ? withoutCity++ : withCity++;
        }

        Assert.Empty(disagreements);
        // The sample must exercise all three outcomes to mean anything.
        Assert.True(withCity > 1000, $"{withCity} addresses with a city");
        Assert.True(withoutCity > 10, $"{withoutCity} addresses without a city");
        Assert.True(absent > 10, $"{absent} addresses without a record");
    }

    [RealCityDbFact]
    public void GivenAddressesClusteredInRealNetworks_WhenFoundInAddressOrder_ThenEachOffsetIsTheOneByOneAnswer()
    {
        // Neighbours of random public addresses, varied in their low 0 to 16 (IPv4) or 8 to 80 (IPv6) bits: sorted,
        // consecutive addresses share long prefixes, so walks resume from the one before and many are answered by the
        // previous address's network.
        using CityDatabase cities = CityDatabase.Open(TestData.RealCityDb);
        var random = new Random(1126);
        ushort[] allocatedV6 = [0x2001, 0x2400, 0x2600, 0x2604, 0x2800, 0x2a00, 0x2a02];
        var addresses = new List<IpAddress128>();
        for (int centre = 0; centre < 4000; centre++)
        {
            bool v4 = centre % 2 == 0;
            UInt128 value = ((UInt128)(ulong)random.NextInt64() << 64) | (ulong)random.NextInt64();
            IpAddress128 address = v4 ? IpAddress128.FromV4((uint)value) : new IpAddress128(((UInt128)allocatedV6[centre % allocatedV6.Length] << 112) | (value >> 16), false);
            for (int i = 0; i < 8; i++)
            {
                int bits = v4 ? random.Next(0, 17) : random.Next(8, 81);
                UInt128 noise = (((UInt128)(ulong)random.NextInt64() << 64) | (ulong)random.NextInt64()) & (bits == 0 ? UInt128.Zero : UInt128.MaxValue >> (128 - bits));
                addresses.Add(v4 ? IpAddress128.FromV4(address.V4 ^ (uint)noise) : new IpAddress128(address.Value ^ noise, false));
            }
        }

        IpAddress128[] shuffled = [.. addresses.OrderBy(_ => random.Next())];
        var offsets = new int[shuffled.Length];

        new AddressOrderLookup(cities).FindRecords(shuffled, offsets);

        Assert.Equal(shuffled.Select(cities.FindRecord), offsets);
        Assert.True(offsets.Distinct().Count() > 1000, $"{offsets.Distinct().Count()} distinct records");
        Assert.Contains(offsets, o => o < 0);
    }

    private static IPAddress ToIpAddress(IpAddress128 address)
    {
        if (address.IsV4Text)
        {
            return new IPAddress([(byte)(address.V4 >> 24), (byte)(address.V4 >> 16), (byte)(address.V4 >> 8), (byte)address.V4]);
        }

        byte[] bytes = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, address.Value);
        return new IPAddress(bytes);
    }
}
