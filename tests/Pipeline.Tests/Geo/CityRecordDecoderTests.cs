using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Net;
using ListeningTogether.Pipeline.Tests.Fixtures;
using MaxMind.Db;

namespace ListeningTogether.Pipeline.Tests.Geo;

/// <summary>The pipeline's own City record decoder against MaxMind.Db's reader, record by record.</summary>
public class CityRecordDecoderTests
{
    [Theory]
    [InlineData("GeoIP2-City-Test.mmdb")]
    [InlineData("GeoLite2-City-Test.mmdb")]
    public void GivenEveryRecordOfAMaxMindTestDatabase_WhenDecodedByItsOffset_ThenItEqualsMaxMindsReader(string file)
    {
        int records = AssertDecodesAsMaxMind(TestData.MaxMindTest(file), 100_000, []);

        Assert.True(records > 50, $"{records} records");
    }

    [RealCityDbFact]
    public void GivenManyRecordsOfTheRealDatabase_WhenDecodedByTheirOffsets_ThenEachEqualsMaxMindsReader()
    {
        // The tree's first records (IPv4 networks) and those of random addresses in allocated IPv6 blocks.
        var random = new Random(2026);
        ushort[] allocatedV6 = [0x2001, 0x2400, 0x2600, 0x2604, 0x2800, 0x2a00, 0x2a02, 0x2c0f];
        IpAddress128[] v6 = [.. Enumerable.Range(0, 5000).Select(i => new IpAddress128(
            ((UInt128)allocatedV6[i % allocatedV6.Length] << 112) | ((((UInt128)(ulong)random.NextInt64() << 64) | (ulong)random.NextInt64()) >> 16), false))];

        int records = AssertDecodesAsMaxMind(TestData.RealCityDb, 40_000, v6);

        Assert.True(records > 40_000, $"{records} records");
    }

    [Fact]
    public void GivenARecordWhosePointerLeadsOutOfTheDataSection_WhenOpened_ThenAGeoDatabaseExceptionSaysItsDataIsCorrupt()
    {
        byte[] bytes = MmdbWriter.Build(6, 28, "GeoIP2-City", [("1.2.3.0/24", MmdbWriter.CityRecord(1, "One", "XX", 1, 2, 3))]);
        // The record is a map whose first key is "city": in its place, a 4-byte pointer (control 001 11 000) past the file's end.
        byte[] cityKey = [0x44, .. "city"u8];
        int record = bytes.AsSpan().IndexOf(cityKey) - 1;
        Assert.Equal(0xE0, bytes[record] & 0xE0);
        bytes[record] = 0x38;
        bytes.AsSpan(record + 1, 4).Fill(0x7F);
        using var file = new TempFile(bytes);

        var e = Assert.Throws<GeoDatabaseException>(() => CityDatabase.Open(file.Path));

        Assert.StartsWith($"MaxMind database '{file.Path}' cannot be used: its data section is corrupt (a pointer at offset ", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Decodes the records of the tree's first networks and of <paramref name="extra"/> both ways; returns how many were compared.</summary>
    private static int AssertDecodesAsMaxMind(string path, int max, IEnumerable<IpAddress128> extra)
    {
        using CityDatabase cities = CityDatabase.Open(path);
        using var reader = new Reader(path);
        var samples = cities.SampleRecords(max)
            .Concat(extra.Select(a => (Address: a, Offset: cities.FindRecord(a))).Where(s => s.Offset >= 0))
            .DistinctBy(s => s.Offset)
            .ToList();
        var disagreements = new List<string>();
        int withCity = 0, named = 0;
        foreach (var (address, offset) in samples)
        {
            CityGeo ours = cities.Resolve(offset);
            CityGeo theirs = Expected(reader.Find<MaxMindCityRecord>(MmdbFile.ToIpAddress(address)));
            if (ours.Location != theirs.Location || ours.AccuracyRadiusKm != theirs.AccuracyRadiusKm)
            {
                disagreements.Add($"{address}: ours {ours}, MaxMind {theirs}");
            }

            withCity += ours.Location is null ? 0 : 1;
            named += ours.Location?.City is null ? 0 : 1;
        }

        Assert.Empty(disagreements);
        // Records with and without a city, and city names, must all have been compared.
        Assert.InRange(withCity, 1, samples.Count - 1);
        Assert.InRange(named, 1, withCity);
        return samples.Count;
    }

    /// <summary>What the pipeline made of MaxMind.Db's decoding before it had its own decoder.</summary>
    private static CityGeo Expected(MaxMindCityRecord? record)
    {
        long? geonameId = record?.City?.GeonameId;
        double? lat = record?.Location?.Latitude;
        double? lon = record?.Location?.Longitude;
        Location? location = geonameId is long id && lat is double la && lon is double lo
            ? new Location(id, record!.City!.English, record.Country?.IsoCode, la, lo)
            : null;
        return new CityGeo(location, record?.Location?.AccuracyRadius);
    }
}
