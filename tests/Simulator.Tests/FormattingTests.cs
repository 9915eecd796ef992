using System.Globalization;
using System.Net;
using System.Text;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Simulator.Tests;

public sealed class FormattingTests
{
    [Theory]
    [InlineData("2001:db8::1")]
    [InlineData("2001:db8:0:0:1:0:0:1")]
    [InlineData("2001:0:0:1::1")]
    [InlineData("::")]
    [InlineData("1::")]
    [InlineData("fe80::1:2")]
    [InlineData("2a02:ffc0::")]
    [InlineData("2001:db8:1:2:3:4:5:6")]
    [InlineData("2001:db8::2:1")]
    public void GivenAnIPv6Address_WhenFormatted_ThenItIsTheRfc5952Text(string text)
    {
        var address = IPAddress.Parse(text);
        var ip = SimulatedIp.V6(new UInt128(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(address.GetAddressBytes()),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(address.GetAddressBytes().AsSpan(8))));
        Assert.Equal(address.ToString(), ip.ToString());
        Assert.Equal(address, ip.ToIPAddress());
    }

    [Fact]
    public void GivenRandomAddresses_WhenFormatted_ThenTheTextMatchesIPAddress()
    {
        var random = new Random(3);
        for (int i = 0; i < 10_000; i++)
        {
            var v4 = SimulatedIp.V4((uint)random.NextInt64(0, 1L << 32));
            Assert.Equal(v4.ToIPAddress()!.ToString(), v4.ToString());

            // Zero groups are frequent enough to exercise the "::" rule.
            ulong high = 0x2000_0000_0000_0000UL | ((ulong)random.NextInt64() & (random.Next(2) == 0 ? 0x1FFF_FFFF_0000_FFFFUL : ulong.MaxValue >> 3));
            ulong low = (ulong)random.NextInt64() & (random.Next(2) == 0 ? 0xFFFF_0000_0000_FFFFUL : ulong.MaxValue);
            var v6 = SimulatedIp.V6(new UInt128(high, low));
            Assert.Equal(v6.ToIPAddress()!.ToString(), v6.ToString());
        }
    }

    [Fact]
    public void GivenAnonymizedAddresses_WhenFormatted_ThenTheyAreNullOrEmpty()
    {
        Assert.Null(SimulatedIp.Null.ToString());
        Assert.Equal("", SimulatedIp.Empty.ToString());
        Assert.Null(SimulatedIp.Empty.ToIPAddress());
    }

    [Theory]
    [InlineData("2026-11-26T14:03:22.431Z")]
    [InlineData("2000-01-01T00:00:00.000Z")]
    [InlineData("2099-12-31T23:59:59.999Z")]
    [InlineData("2024-02-29T12:00:00.007Z")]
    [InlineData("1969-12-31T23:59:59.999Z")]
    public void GivenAPlay_WhenEncoded_ThenPlayedAtHasMillisecondsAndZ(string playedAt)
    {
        var time = DateTimeOffset.Parse(playedAt, CultureInfo.InvariantCulture);
        var play = new SimulatedPlay(
            Guid.Parse("5f0c2a4e-1b3d-4c5e-8f70-123456789abc"),
            new Track("spotify:track:4uLU6hMCjMI75M1A2tKUQC", "Title", "Artist"),
            0,
            UserNumber: 36 * 36 * 36,
            SimulatedIp.V4(0x51024590),
            time.ToUnixTimeMilliseconds(),
            PrivateSession: false,
            2643743,
            SimulatedPlayKind.Clean,
            MalformedShape.None,
            0,
            IsRedelivery: false);

        Assert.Equal(
            "{\"eventId\":\"5f0c2a4e-1b3d-4c5e-8f70-123456789abc\",\"trackId\":\"spotify:track:4uLU6hMCjMI75M1A2tKUQC\","
            + "\"userId\":\"u-1000\",\"ip\":\"81.2.69.144\",\"playedAt\":\"" + playedAt + "\",\"privateSession\":false}",
            Encoding.UTF8.GetString(PlayJson.ToUtf8(play)));
        Assert.Equal(new PlayEvent("5f0c2a4e-1b3d-4c5e-8f70-123456789abc", "spotify:track:4uLU6hMCjMI75M1A2tKUQC", "u-1000", "81.2.69.144", time, false), play.ToPlayEvent());
    }

    [Fact]
    public void GivenRandomTimes_WhenEncoded_ThenPlayedAtMatchesTheBclFormat()
    {
        var random = new Random(5);
        var track = new Track("spotify:track:4uLU6hMCjMI75M1A2tKUQC", "Title", "Artist");
        for (int i = 0; i < 10_000; i++)
        {
            long ms = random.NextInt64(946_684_800_000, 4_102_444_800_000);
            var play = new SimulatedPlay(Guid.Empty, track, 0, 0, SimulatedIp.Null, ms, null, 0, SimulatedPlayKind.AnonymizedIp, MalformedShape.None, 0, false);
            string expected = DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            Assert.Contains($"\"ip\":null,\"playedAt\":\"{expected}\"}}", Encoding.UTF8.GetString(PlayJson.ToUtf8(play)), StringComparison.Ordinal);
        }
    }
}
