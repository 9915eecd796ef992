using System.Globalization;
using System.Text;
using ListeningTogether.Pipeline.Net;

namespace ListeningTogether.Pipeline.Tests.Net;

/// <summary>DESIGN.md reason 6 (ip_invalid): IPv4 only as four decimal octets without leading zeros, IPv6 in RFC 4291 text forms without a zone.</summary>
public class StrictIpParserTests
{
    private static IpAddress128? Parse(string text) =>
        StrictIpParser.TryParse(Encoding.UTF8.GetBytes(text), out IpAddress128 address) ? address : null;

    private static UInt128 Hex(string thirtyTwoHexDigits) => UInt128.Parse(thirtyTwoHexDigits, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("81.2.69.142", 0x5102_458Eu)]
    [InlineData("0.0.0.0", 0u)]
    [InlineData("255.255.255.255", 0xFFFF_FFFFu)]
    [InlineData("1.2.3.4", 0x0102_0304u)]
    [InlineData("10.0.0.1", 0x0A00_0001u)]
    [InlineData("100.200.250.199", 0x64C8_FAC7u)]
    [InlineData("9.99.199.0", 0x0963_C700u)]
    public void GivenADottedQuad_WhenParsed_ThenItIsTheIpv4MappedValueMarkedAsIpv4Text(string text, uint v4)
    {
        IpAddress128? address = Parse(text);

        Assert.Equal(new IpAddress128(((UInt128)0xFFFF << 32) | v4, IsV4Text: true), address);
        Assert.True(address!.Value.IsV4Mapped);
        Assert.Equal(v4, address.Value.V4);
        Assert.Equal(text, address.Value.ToString());
    }

    [Theory]
    [InlineData("::", "00000000000000000000000000000000")]
    [InlineData("::1", "00000000000000000000000000000001")]
    [InlineData("1::", "00010000000000000000000000000000")]
    [InlineData("1::1", "00010000000000000000000000000001")]
    [InlineData("2001:db8:85a3:8d3:1319:8a2e:370:7348", "20010db885a308d313198a2e03707348")]
    [InlineData("2001:0db8:85a3:08d3:1319:8a2e:0370:7348", "20010db885a308d313198a2e03707348")]
    [InlineData("2001:DB8:85A3:8D3:1319:8A2E:370:7348", "20010db885a308d313198a2e03707348")]
    [InlineData("1:2:3:4:5:6:7:8", "00010002000300040005000600070008")]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffffffffffffffffffffffffffffffff")]
    [InlineData("1:2:3:4:5:6:7::", "00010002000300040005000600070000")]
    [InlineData("::2:3:4:5:6:7:8", "00000002000300040005000600070008")]
    [InlineData("1:2:3::6:7:8", "00010002000300000000000600070008")]
    [InlineData("fe80::1", "fe800000000000000000000000000001")]
    [InlineData("2001:480:10::1", "20010480001000000000000000000001")]
    [InlineData("0:0:0:0:0:0:0:0", "00000000000000000000000000000000")]
    [InlineData("::ffff:1.2.3.4", "00000000000000000000ffff01020304")]
    [InlineData("::FFFF:81.2.69.142", "00000000000000000000ffff5102458e")]
    [InlineData("::ffff:0102:0304", "00000000000000000000ffff01020304")]
    [InlineData("64:ff9b::1.2.3.4", "0064ff9b000000000000000001020304")]
    [InlineData("::1.2.3.4", "00000000000000000000000001020304")]
    [InlineData("1:2:3:4:5:6:1.2.3.4", "00010002000300040005000601020304")]
    [InlineData("1::6:1.2.3.4", "00010000000000000000000601020304")]
    public void GivenAnRfc4291TextForm_WhenParsed_ThenItIsThatExact128BitValue(string text, string hex)
    {
        IpAddress128? address = Parse(text);

        Assert.Equal(new IpAddress128(Hex(hex), IsV4Text: false), address);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1.2.3.")]
    [InlineData(".1.2.3")]
    [InlineData("1..2.3")]
    [InlineData("010.1.2.3")]            // leading zero (octal in some parsers)
    [InlineData("1.2.3.04")]
    [InlineData("00.1.2.3")]
    [InlineData("0x51.2.69.142")]        // hex
    [InlineData("0x5102458e")]
    [InlineData("1359103374")]           // one decimal number
    [InlineData("81.2.17806")]           // a.b.c form
    [InlineData("81.2.69.256")]
    [InlineData("256.2.69.142")]
    [InlineData("81.2.69.1420")]
    [InlineData("81.2.69.-1")]
    [InlineData("+81.2.69.142")]
    [InlineData(" 81.2.69.142")]
    [InlineData("81.2.69.142 ")]
    [InlineData("81.2.69.142\n")]
    [InlineData("81.2.69.142/32")]
    [InlineData("81.2.69.142:80")]
    [InlineData("８１.2.69.142")]
    [InlineData("localhost")]
    [InlineData("fe80::1%eth0")]         // zone index
    [InlineData("fe80::1%1")]
    [InlineData("[::1]")]
    [InlineData("[::1]:80")]
    [InlineData(" ::1")]
    [InlineData("::1 ")]
    [InlineData(":")]
    [InlineData(":::")]
    [InlineData(":1::")]
    [InlineData("1:")]
    [InlineData("::1:")]
    [InlineData("1:::2")]
    [InlineData("1::2::3")]              // two "::"
    [InlineData("::1::")]
    [InlineData("1:2:3:4:5:6:7:8:9")]    // too many groups
    [InlineData("1:2:3:4:5:6:7:8::")]
    [InlineData("::1:2:3:4:5:6:7:8")]
    [InlineData("1:2:3:4:5:6:7::8")]     // "::" standing for no group
    [InlineData("1:2:3:4:5:6:7")]        // too few groups
    [InlineData("12345::")]
    [InlineData("1:2:3:4:5:6:7:12345")]
    [InlineData("g::1")]
    [InlineData("2001:db8::/32")]
    [InlineData("1:2:3:4:5:6:7:1.2.3.4")] // a dotted quad after seven groups
    [InlineData("::1.2.3.4:5")]          // a dotted quad not at the end
    [InlineData("::ffff:1.2.3")]
    [InlineData("::ffff:01.2.3.4")]
    [InlineData("::ffff:1.2.3.256")]
    [InlineData("::ffff:1a.2.3.4")]
    [InlineData("1.2.3.4::")]
    public void GivenTextThatIsNotAStrictAddress_WhenParsed_ThenItIsRejected(string text)
    {
        Assert.Null(Parse(text));
    }

    [Fact]
    public void GivenTheIpv4MappedIpv6TextOfAnAddress_WhenParsed_ThenItEqualsTheIpv4ValueButIsNotIpv4Text()
    {
        IpAddress128 v4 = Parse("81.2.69.142")!.Value;
        IpAddress128 mapped = Parse("::ffff:81.2.69.142")!.Value;

        Assert.Equal(v4.Value, mapped.Value);
        Assert.True(mapped.IsV4Mapped);
        Assert.False(mapped.IsV4Text);
        Assert.Equal("00000000000000000000ffff5102458e", mapped.ToString());
    }
}
