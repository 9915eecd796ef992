using System.Text;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Net;
using ListeningTogether.Pipeline.Tests.Fixtures;
using ListeningTogether.Tests.Shared.Fuzz;

namespace ListeningTogether.Pipeline.Tests.Fuzz;

/// <summary>
/// The City database on mutated copies of MaxMind's test databases, each mutation aimed at the search tree, the
/// data section or the metadata: opening and looking up either works or is a <see cref="GeoDatabaseException"/>
/// naming the file, never another exception or a hang.
/// </summary>
public sealed class CityDatabaseFuzzTests : IDisposable
{
    private static readonly byte[] MetadataMarker = [0xAB, 0xCD, 0xEF, .. "MaxMind.com"u8];

    private static readonly string[] Addresses =
    [
        "81.2.69.142", "216.160.83.56", "89.160.20.112", "175.16.199.1", "2001:218::1", "2a02:d300::1", "::ffff:81.2.69.142", "::1", "0.0.0.0", "255.255.255.255", "2c0f:ff40::1",
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("lt-fuzz-mmdb-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void GivenMutatedCityDatabases_WhenOpenedAndLookedUp_ThenEachWorksOrIsAGeoDatabaseException()
    {
        byte[][] corpus = [File.ReadAllBytes(TestData.CityTest), File.ReadAllBytes(TestData.LiteCityTest)];
        IpAddress128[] addresses = [.. Addresses.Select(a => Parse(a))];
        string path = Path.Combine(_directory, "City.mmdb");
        var campaign = new FuzzCampaign("city-database", ciCases: 400) { MaxAllocatedBytes = 64L << 20 };

        campaign.Run(
            random => MutateOneRegion(random, corpus[random.Next(corpus.Length)], corpus),
            input =>
            {
                File.WriteAllBytes(path, input);
                using CityDatabase cities = CityDatabase.Open(path);
                int[] offsets = new int[addresses.Length];
                cities.FindRecords(addresses, offsets);
                foreach (IpAddress128 address in addresses)
                {
                    cities.Lookup(address);
                }
            },
            e => e is GeoDatabaseException);
    }

    /// <summary>Mutates a slice of the search tree, the data section or the metadata and puts it back in place.</summary>
    private static byte[] MutateOneRegion(Random random, byte[] database, byte[][] corpus)
    {
        int metadata = database.AsSpan().LastIndexOf(MetadataMarker);
        int dataSection = Math.Max(0, metadata / 2);
        (int from, int to) = random.Next(3) switch
        {
            0 => (0, dataSection),
            1 => (dataSection, metadata),
            _ => (metadata, database.Length),
        };
        int start = random.Next(from, to);
        int length = Math.Min(to - start, random.Next(1, 64));
        byte[] slice = ByteMutator.Mutate(random, database.AsSpan(start, length), corpus);
        return [.. database.AsSpan(0, start), .. slice, .. database.AsSpan(start + length)];
    }

    private static IpAddress128 Parse(string address) =>
        StrictIpParser.TryParse(Encoding.ASCII.GetBytes(address), out IpAddress128 parsed) ? parsed : throw new ArgumentException(address);
}
