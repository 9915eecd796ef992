using System.Text;
using ListeningTogether.Pipeline.Net;

namespace ListeningTogether.Pipeline.Tests.Net;

/// <summary>DESIGN.md reason 7 (ip_not_public): the complete list of non-public ranges, at their edges.</summary>
public class PublicAddressClassifierTests
{
    private static bool IsPublic(string text)
    {
        Assert.True(StrictIpParser.TryParse(Encoding.UTF8.GetBytes(text), out IpAddress128 address), $"'{text}' should parse");
        return PublicAddressClassifier.IsPublic(address);
    }

    // (first, last) of every listed range.
    [Theory]
    [InlineData("0.0.0.0", "0.255.255.255")]
    [InlineData("10.0.0.0", "10.255.255.255")]
    [InlineData("100.64.0.0", "100.127.255.255")]
    [InlineData("127.0.0.0", "127.255.255.255")]
    [InlineData("169.254.0.0", "169.254.255.255")]
    [InlineData("172.16.0.0", "172.31.255.255")]
    [InlineData("192.0.0.0", "192.0.0.255")]
    [InlineData("192.0.2.0", "192.0.2.255")]
    [InlineData("192.168.0.0", "192.168.255.255")]
    [InlineData("198.18.0.0", "198.19.255.255")]
    [InlineData("198.51.100.0", "198.51.100.255")]
    [InlineData("203.0.113.0", "203.0.113.255")]
    [InlineData("224.0.0.0", "239.255.255.255")]
    [InlineData("240.0.0.0", "255.255.255.255")]
    [InlineData("::", "::")]
    [InlineData("::1", "::1")]
    [InlineData("fc00::", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("ff00::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")]
    public void GivenTheFirstAndLastAddressOfAListedRange_WhenClassified_ThenNeitherIsPublic(string first, string last)
    {
        Assert.False(IsPublic(first));
        Assert.False(IsPublic(last));
    }

    // The neighbours just outside each range (where they are not in another listed range).
    [Theory]
    [InlineData("1.0.0.0")]
    [InlineData("9.255.255.255")]
    [InlineData("11.0.0.0")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("126.255.255.255")]
    [InlineData("128.0.0.0")]
    [InlineData("169.253.255.255")]
    [InlineData("169.255.0.0")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("191.255.255.255")]
    [InlineData("192.0.1.0")]
    [InlineData("192.0.1.255")]
    [InlineData("192.0.3.0")]
    [InlineData("192.167.255.255")]
    [InlineData("192.169.0.0")]
    [InlineData("198.17.255.255")]
    [InlineData("198.20.0.0")]
    [InlineData("198.51.99.255")]
    [InlineData("198.51.101.0")]
    [InlineData("203.0.112.255")]
    [InlineData("203.0.114.0")]
    [InlineData("223.255.255.255")]
    [InlineData("::2")]
    [InlineData("fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("fe00::")]
    [InlineData("fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("fec0::")]
    [InlineData("feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("2001:db9::")]
    public void GivenTheAddressJustOutsideAListedRange_WhenClassified_ThenItIsPublic(string address)
    {
        Assert.True(IsPublic(address));
    }

    [Theory]
    [InlineData("81.2.69.142", true)]
    [InlineData("8.8.8.8", true)]
    [InlineData("2001:480:10::1", true)]
    [InlineData("2a02:d3c0::1", true)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("::ffff:a00:1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("::ffff:0.0.0.0", false)]
    [InlineData("::ffff:255.255.255.255", false)]
    [InlineData("::ffff:192.168.1.1", false)]
    [InlineData("::ffff:8.8.8.8", true)]
    [InlineData("::ffff:81.2.69.142", true)]
    [InlineData("::ffff:1.0.0.0", true)]
    public void GivenAnIpv4MappedAddress_WhenClassified_ThenItIsJudgedAsItsIpv4Address(string address, bool expected)
    {
        Assert.Equal(expected, IsPublic(address));
    }

    [Theory]
    [InlineData("2002::")]               // 6to4
    [InlineData("2002:a00:1::")]         // 6to4 wrapping 10.0.0.1: not unwrapped
    [InlineData("2002:c0a8:101::1")]     // 6to4 wrapping 192.168.1.1
    [InlineData("2001::")]               // Teredo
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")]
    [InlineData("2001:0:a00:1::")]       // Teredo naming 10.0.0.1 as its server
    [InlineData("64:ff9b::a00:1")]       // NAT64 of 10.0.0.1: only ::ffff:0:0/96 is judged as IPv4
    [InlineData("::a00:1")]              // IPv4-compatible form of 10.0.0.1
    public void GivenA6to4TeredoOrOtherWrappingAddress_WhenClassified_ThenItIsPublicBecauseItIsNotUnwrapped(string address)
    {
        Assert.True(IsPublic(address));
    }
}
