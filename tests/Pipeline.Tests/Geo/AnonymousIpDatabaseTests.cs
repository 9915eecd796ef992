using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Tests.Fixtures;
using static ListeningTogether.Pipeline.Tests.Geo.CityDatabaseTests;

namespace ListeningTogether.Pipeline.Tests.Geo;

/// <summary>DESIGN.md reason 8 (ip_anonymous) against MaxMind's Anonymous-IP test database and one written per flag.</summary>
public class AnonymousIpDatabaseTests
{
    [Theory]
    [InlineData("1.2.0.1")]              // anonymous, VPN
    [InlineData("1.2.255.255")]
    [InlineData("1.124.213.1")]          // anonymous, VPN, Tor
    [InlineData("81.2.69.142")]          // every flag
    [InlineData("71.160.223.7")]         // anonymous, hosting provider
    [InlineData("186.30.236.200")]       // anonymous, public proxy
    [InlineData("65.0.0.1")]             // anonymous, Tor (a /13)
    [InlineData("65.7.255.255")]
    [InlineData("6.1.0.0")]              // anonymous, VPN
    [InlineData("6.1.0.1")]
    [InlineData("6.1.0.2")]              // anonymous, hosting provider
    [InlineData("6.1.0.3")]              // anonymous, public proxy
    [InlineData("6.1.0.4")]              // anonymous, residential proxy
    [InlineData("abcd:1000::1")]         // anonymous, public proxy
    [InlineData("2001:480:3a::1")]
    [InlineData("2001:480:3a:0:ffff:ffff:ffff:ffff")]
    public void GivenAnAddressTheTestDatabaseFlags_WhenChecked_ThenItIsListed(string address)
    {
        using AnonymousIpDatabase anonymous = AnonymousIpDatabase.Open(TestData.AnonymousIpTest);

        Assert.True(anonymous.IsListed(Ip(address)));
    }

    [Theory]
    [InlineData("1.3.0.0")]
    [InlineData("1.124.213.2")]
    [InlineData("6.1.0.5")]
    [InlineData("65.8.0.0")]
    [InlineData("64.255.255.255")]
    [InlineData("8.8.8.8")]
    [InlineData("81.2.70.1")]
    [InlineData("abcd:1000::1:0:0")]
    [InlineData("2001:480:3b::1")]
    [InlineData("2a02:d3c0::1")]
    public void GivenAnAddressOutsideTheFlaggedNetworks_WhenChecked_ThenItIsNotListed(string address)
    {
        using AnonymousIpDatabase anonymous = AnonymousIpDatabase.Open(TestData.AnonymousIpTest);

        Assert.False(anonymous.IsListed(Ip(address)));
    }

    [Theory]
    [InlineData("2.0.0.1", true)]  // is_anonymous only
    [InlineData("3.0.0.1", true)]  // is_anonymous_vpn only
    [InlineData("4.0.0.1", true)]  // is_tor_exit_node only
    [InlineData("5.0.0.1", true)]  // is_public_proxy only
    [InlineData("7.0.0.1", true)]  // is_hosting_provider only
    [InlineData("9.0.0.1", true)]  // is_residential_proxy only
    [InlineData("11.0.0.1", false)] // every flag present and false
    [InlineData("12.0.0.1", false)] // an empty record
    [InlineData("13.0.0.1", false)] // no record
    public void GivenADatabaseWithOneFlagPerNetwork_WhenChecked_ThenEachFlagAloneListsTheAddress(string address, bool listed)
    {
        string[] flags = ["is_anonymous", "is_anonymous_vpn", "is_tor_exit_node", "is_public_proxy", "is_hosting_provider", "is_residential_proxy"];
        string[] networks = ["2.0.0.0/8", "3.0.0.0/8", "4.0.0.0/8", "5.0.0.0/8", "7.0.0.0/8", "9.0.0.0/8"];
        var records = flags.Select((flag, i) => (networks[i], (object)new Dictionary<string, object> { [flag] = true })).ToList();
        records.Add(("11.0.0.0/8", flags.ToDictionary(f => f, object (_) => false)));
        records.Add(("12.0.0.0/8", new Dictionary<string, object>()));
        using var file = new TempFile(MmdbWriter.Build(6, 28, "GeoIP2-Anonymous-IP", records));

        using AnonymousIpDatabase anonymous = AnonymousIpDatabase.Open(file.Path);

        Assert.Equal(listed, anonymous.IsListed(Ip(address)));
    }

    [Fact]
    public void GivenACityDatabaseAsTheAnonymousIpDatabase_WhenOpened_ThenAGeoDatabaseExceptionSaysWhatItIs()
    {
        string path = TestData.CityTest;

        var e = Assert.Throws<GeoDatabaseException>(() => AnonymousIpDatabase.Open(path));

        Assert.Equal($"MaxMind database '{path}' cannot be used: it is a GeoIP2-City database, expected Anonymous-IP.", e.Message);
    }

    [Fact]
    public void GivenAMissingAnonymousIpFile_WhenOpened_ThenTheMessageNamesTheFileAndNotTheCitySetting()
    {
        string path = Path.Combine(TestData.MaxMindTestDirectory, "No-Such-Anonymous-IP.mmdb");

        var e = Assert.Throws<GeoDatabaseException>(() => AnonymousIpDatabase.Open(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Equal(path, e.Path);
        // Pointing an operator who mistyped Geo:AnonymousIpDb at Geo:CityDb sends them to the wrong setting.
        Assert.DoesNotContain("Geo:CityDb", e.Message, StringComparison.Ordinal);
    }
}

/// <summary>A file in the temp folder, deleted on dispose.</summary>
internal sealed class TempFile : IDisposable
{
    public TempFile(byte[] content, string extension = ".mmdb")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"lt-test-{Guid.NewGuid():N}{extension}");
        File.WriteAllBytes(Path, content);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
