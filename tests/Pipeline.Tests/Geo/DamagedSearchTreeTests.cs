using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Tests.Fixtures;
using static ListeningTogether.Pipeline.Tests.Geo.CityDatabaseTests;

namespace ListeningTogether.Pipeline.Tests.Geo;

/// <summary>
/// Search trees whose links lead back up the tree or join again below: the check at open refuses a walk that
/// runs past the address's bits, and opening walks a node reached by many paths once.
/// </summary>
public class DamagedSearchTreeTests
{
    private const int NodeBytes24 = 6;

    private static readonly Location Tokyo = new(1850147, "Tokyo", "JP", 35.6895, 139.69171);

    [Fact]
    public void GivenATreeWhoseNodeLeadsBackToTheRoot_WhenOpened_ThenAGeoDatabaseExceptionSaysTheWalkRunsPastTheAddressBits()
    {
        byte[] bytes = MmdbWriter.Build(4, 24, "GeoIP2-City", WrittenCityDatabaseTests.Networks);
        // Node 1 is 0.0.0.0/1; its left record (0.0.0.0/2) now leads back to node 0, the root.
        bytes.AsSpan(NodeBytes24, 3).Clear();
        using var file = new TempFile(bytes);

        var e = Assert.Throws<GeoDatabaseException>(() => CityDatabase.Open(file.Path));

        Assert.Equal($"MaxMind database '{file.Path}' cannot be used: search tree node 0 lies deeper than the 32 bits of an address (a loop or a damaged link).", e.Message);
    }

    [Fact]
    public void GivenATreeWhoseNodesEachLeadToTheNextByBothBits_WhenOpened_ThenEveryAddressHasTheOneRecord()
    {
        // 32 nodes in a chain, each node's two records pointing to the next: 2^32 paths through 32 nodes, a sound
        // tree that walking every path would never finish opening.
        byte[] bytes = MmdbWriter.Build(4, 24, "GeoIP2-City", [("0.0.0.0/32", TokyoRecord())]);
        for (int node = 0; node < 32; node++)
        {
            bytes.AsSpan(node * NodeBytes24, 3).CopyTo(bytes.AsSpan((node * NodeBytes24) + 3));
        }

        using var file = new TempFile(bytes);

        using CityDatabase cities = CityDatabase.Open(file.Path);

        Assert.All(["0.0.0.0", "81.2.69.142", "255.255.255.255"], address => AssertGeo(Tokyo, 20, cities.Lookup(Ip(address))));
    }

    [Fact]
    public void GivenALinkThatReachesANodeAtTheLastBit_WhenOpened_ThenAGeoDatabaseExceptionSaysTheNodeLiesTooDeep()
    {
        // Nodes 0-31 lead to 0.0.0.0/32, node 32 to 128.0.0.0/2; node 31 (0.0.0.0/31) now leads to node 32 instead of
        // its record: a walk reaching node 32 there has no bit left to read.
        byte[] bytes = MmdbWriter.Build(4, 24, "GeoIP2-City", [("0.0.0.0/32", TokyoRecord()), ("128.0.0.0/2", TokyoRecord())]);
        WriteRecord24(bytes, 31, 0, 32);
        using var file = new TempFile(bytes);

        var e = Assert.Throws<GeoDatabaseException>(() => CityDatabase.Open(file.Path));

        Assert.Equal($"MaxMind database '{file.Path}' cannot be used: search tree node 32 lies deeper than the 32 bits of an address (a loop or a damaged link).", e.Message);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void GivenATreeNumberedBottomUp_WhenOpenedAndLookedUp_ThenEveryNetworkAnswersAsInTheTreeNumberedTopDown(int ipVersion)
    {
        // MaxMind's writers number a node after its parent; the format does not require it, and the check at open
        // then walks the tree instead of passing over the nodes in order.
        var networks = ipVersion == 6 ? WrittenCityDatabaseTests.Networks.Concat(WrittenCityDatabaseTests.Ipv6Networks) : WrittenCityDatabaseTests.Networks;
        byte[] topDown = MmdbWriter.Build(ipVersion, 24, "GeoIP2-City", networks);
        using var file = new TempFile(NumberedBottomUp(topDown));
        using var expected = new TempFile(topDown);
        using CityDatabase reference = CityDatabase.Open(expected.Path);

        using CityDatabase cities = CityDatabase.Open(file.Path);

        string[] addresses = ["1.2.3.4", "2.2.3.4", "4.255.255.255", "7.128.0.1", "8.8.8.8", "8.8.9.0", "8.8.9.1", "9.0.0.1", "2600::1", "2a00:1450:4001::1", "2c0f:ffff:ffff:ffff:ffff:ffff:ffff:ffff"];
        Assert.All(addresses, address => Assert.Equal(Answer(reference, address), Answer(cities, address)));
        Assert.NotNull(cities.Lookup(Ip("8.8.8.8")));
    }

    public static TheoryData<string, int, int> SavedLoopingTrees => new()
    {
        { "tree-loops-after-a-deleted-run.bin", 1, 128 },
        { "tree-loops-after-a-deleted-run-2.bin", 1, 128 },
        { "tree-loops-after-an-inserted-run.bin", 1465, 128 },
    };

    /// <summary>City databases the fuzz campaign damaged (tests/data/fuzz/city-database): opening them took minutes.</summary>
    [Theory]
    [MemberData(nameof(SavedLoopingTrees))]
    public void GivenACityDatabaseWhoseTreeTheFuzzCampaignMadeLoop_WhenOpened_ThenAGeoDatabaseExceptionNamesTheNode(string name, int node, int bits)
    {
        string path = Path.Combine(TestData.Root, "tests", "data", "fuzz", "city-database", name);

        var e = Assert.Throws<GeoDatabaseException>(() => CityDatabase.Open(path));

        Assert.Equal($"MaxMind database '{path}' cannot be used: search tree node {node} lies deeper than the {bits} bits of an address (a loop or a damaged link).", e.Message);
    }

    private static (Location?, int?)? Answer(CityDatabase cities, string address) =>
        cities.Lookup(Ip(address)) is { } geo ? (geo.Location, geo.AccuracyRadiusKm) : null;

    private static Dictionary<string, object> TokyoRecord() => MmdbWriter.CityRecord(1850147, "Tokyo", "JP", 35.6895, 139.69171, 20);

    /// <summary>The same tree with its nodes but the root numbered in reverse: every child before its parent.</summary>
    private static byte[] NumberedBottomUp(byte[] file)
    {
        uint nodeCount = MmdbTreeMetadata.Read(file, "written").NodeCount;
        uint Renumbered(uint node) => node is 0 || node >= nodeCount ? node : nodeCount - node;
        byte[] renumbered = (byte[])file.Clone();
        for (uint node = 0; node < nodeCount; node++)
        {
            for (int bit = 0; bit < 2; bit++)
            {
                WriteRecord24(renumbered, Renumbered(node), bit, Renumbered(ReadRecord24(file, node, bit)));
            }
        }

        return renumbered;
    }

    private static uint ReadRecord24(byte[] file, uint node, int bit)
    {
        int at = (int)(node * NodeBytes24) + (bit * 3);
        return ((uint)file[at] << 16) | ((uint)file[at + 1] << 8) | file[at + 2];
    }

    private static void WriteRecord24(byte[] file, uint node, int bit, uint record)
    {
        int at = (int)(node * NodeBytes24) + (bit * 3);
        file[at] = (byte)(record >> 16);
        file[at + 1] = (byte)(record >> 8);
        file[at + 2] = (byte)record;
    }
}
