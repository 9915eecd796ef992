using System.Net.Sockets;
using ListeningTogether.Host.Configuration;
using Microsoft.AspNetCore.Connections;

namespace ListeningTogether.Host.Tests.Configuration;

/// <summary>Listening settings checked before the host starts, and Kestrel's bind failures named by their setting (issue 12, finding 2).</summary>
public sealed class ListenUrlsTests
{
    [Theory]
    [InlineData("http://localhost:8080")]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("https://[::1]:8443")]
    [InlineData("http://*:8080;http://+:9090")]
    [InlineData("http://0.0.0.0:65535")]
    public void GivenHttpUrlsWithPorts_WhenValidated_ThenTheyPass(string urls)
    {
        Assert.Equal(urls, ListenUrls.Validate("Urls", urls));
    }

    [Theory]
    [InlineData("Urls", "not-a-url", "error: Urls 'not-a-url': not a URL such as http://localhost:8080 (a scheme, a host and a port)")]
    [InlineData("Urls", "127.0.0.1:18082", "error: Urls '127.0.0.1:18082': not a URL such as http://localhost:8080 (a scheme, a host and a port)")]
    [InlineData("Management:Urls", "http://127.0.0.1:99999", "error: Management:Urls 'http://127.0.0.1:99999': the port 99999 is outside 0 to 65535")]
    [InlineData("Management:Urls", "ftp://127.0.0.1:21", "error: Management:Urls 'ftp://127.0.0.1:21': the scheme 'ftp' cannot be served; use http or https")]
    [InlineData("Urls", "http://localhost:8080;ftp://h:21", "error: Urls 'http://localhost:8080;ftp://h:21': 'ftp://h:21': the scheme 'ftp' cannot be served; use http or https")]
    [InlineData("Urls", " ; ", "error: Urls ' ; ': no address is given; expected a URL such as http://localhost:8080")]
    public void GivenABadValue_WhenValidated_ThenTheRefusalNamesTheKeyTheValueAndTheCause(string key, string urls, string expected)
    {
        var e = Assert.Throws<SettingsException>(() => ListenUrls.Validate(key, urls));

        Assert.Equal(expected, "error: " + e.Message);
    }

    [Fact]
    public void GivenAnAddressInUse_WhenDescribed_ThenTheSettingListingItIsNamed()
    {
        var failure = new IOException("Failed to bind to address http://127.0.0.1:9090: address already in use.", new AddressInUseException("Address already in use"));

        SettingsException? refused = ListenUrls.DescribeBindFailure(failure, [("Management:Urls", "http://127.0.0.1:9090"), ("Urls", "http://localhost:8080")]);

        Assert.Equal("Management:Urls 'http://127.0.0.1:9090': the address is already in use", refused?.Message);
    }

    [Fact]
    public void GivenLocalhostInUse_WhenDescribed_ThenTheSettingWithThatPortIsNamed()
    {
        var failure = new IOException("Failed to bind to address http://127.0.0.1:8080: address already in use.", new AddressInUseException("Address already in use"));

        SettingsException? refused = ListenUrls.DescribeBindFailure(failure, [("Management:Urls", "http://localhost:9090"), ("Urls", "http://localhost:8080")]);

        Assert.Equal("Urls 'http://localhost:8080': the address is already in use", refused?.Message);
    }

    [Fact]
    public void GivenAPermissionDenied_WhenDescribed_ThenItsCauseIsGiven()
    {
        var failure = new IOException("Failed to bind to address http://0.0.0.0:80.", new SocketException((int)SocketError.AccessDenied));

        SettingsException? refused = ListenUrls.DescribeBindFailure(failure, [("Urls", "http://0.0.0.0:80")]);

        Assert.StartsWith("Urls 'http://0.0.0.0:80': ", refused?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAnotherIOException_WhenDescribed_ThenItIsNoBindFailure()
    {
        Assert.Null(ListenUrls.DescribeBindFailure(new IOException("No space left on device : '/x'"), [("Urls", "http://localhost:8080")]));
    }
}
