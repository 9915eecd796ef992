using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Net;
using ListeningTogether.Tests.Shared.Fuzz;

namespace ListeningTogether.Pipeline.Tests.Fuzz;

/// <summary>
/// The playedAt and IP parsers against the framework's parsers: every text they accept means what
/// <see cref="DateTimeOffset"/> and <see cref="IPAddress"/> say it means, and mutated text never throws.
/// </summary>
public sealed partial class PlayedAtAndIpFuzzTests
{
    private static readonly byte[][] TimeCorpus =
    [
        .. new[] { "2026-11-26T14:03:22.431Z", "2000-01-01T00:00:00+00:00", "2099-12-31t23:59:59.123456789-08:00", "2024-02-29T12:00:00.5z" }.Select(Encoding.ASCII.GetBytes),
    ];

    private static readonly byte[][] IpCorpus =
    [
        .. new[] { "81.2.69.142", "2001:db8::1", "::ffff:81.2.69.142", "1:2:3:4:5:6:7:8", "::", "fe80::1:2:3:4", "1:2:3:4:5:6:1.2.3.4" }.Select(Encoding.ASCII.GetBytes),
    ];

    [Property(MaxTest = 500)]
    public bool GivenAnyTimeInRangeAtAnyOffsetAndPrecision_WhenFormatted_ThenItParsesToItsUtcMillisecondFloored(long ticks, short offsetMinutes, byte fractionDigits)
    {
        long min = DateTimeOffset.FromUnixTimeMilliseconds(PlayedAtParser.MinMs).UtcTicks;
        long max = DateTimeOffset.FromUnixTimeMilliseconds(PlayedAtParser.MaxMsExclusive).UtcTicks;
        var utc = new DateTimeOffset(min + (long)((ulong)ticks % (ulong)(max - min)), TimeSpan.Zero);
        DateTimeOffset local = utc.ToOffset(TimeSpan.FromMinutes(offsetMinutes % ((14 * 60) + 1)));
        int digits = fractionDigits % 8; // DateTimeOffset formats at most 7 fraction digits
        string format = "yyyy-MM-dd'T'HH:mm:ss" + (digits == 0 ? string.Empty : "." + new string('f', digits)) + "zzz";
        string text = local.ToString(format, CultureInfo.InvariantCulture);
        long expected = DateTimeOffset.ParseExact(text, format, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

        bool parsed = PlayedAtParser.TryParseText(Encoding.ASCII.GetBytes(text), out long ms);

        return parsed == PlayedAtParser.IsInRange(expected) && (!parsed || ms == expected);
    }

    [Fact]
    public void GivenMutatedPlayedAtTexts_WhenParsed_ThenAnAcceptedOneIsTheTimeDateTimeOffsetReadsAndNothingThrows()
    {
        var campaign = new FuzzCampaign("played-at", ciCases: 2000) { MaxAllocatedBytes = 16 * 1024 };

        campaign.Run(
            random => ByteMutator.Mutate(random, TimeCorpus[random.Next(TimeCorpus.Length)], TimeCorpus),
            input =>
            {
                if (PlayedAtParser.TryParseText(input, out long ms))
                {
                    Assert.Equal(ReferenceMillis(Encoding.Latin1.GetString(input)), ms);
                }

                if (PlayedAtParser.TryParseEpochMillis(input, out long epochMs))
                {
                    Assert.Equal(long.Parse(Encoding.Latin1.GetString(input), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture), epochMs);
                }
            },
            _ => false);
    }

    [Fact]
    public void GivenMutatedAddresses_WhenParsedStrictly_ThenAnAcceptedOneIsTheAddressIPAddressReadsAndNothingThrows()
    {
        var campaign = new FuzzCampaign("ip-parser", ciCases: 2000) { MaxAllocatedBytes = 16 * 1024 };

        campaign.Run(
            random => ByteMutator.Mutate(random, IpCorpus[random.Next(IpCorpus.Length)], IpCorpus),
            input =>
            {
                if (StrictIpParser.TryParse(input, out IpAddress128 address))
                {
                    string text = Encoding.Latin1.GetString(input);
                    Assert.True(IPAddress.TryParse(text, out IPAddress? reference), $"'{text}' accepted but not an address");
                    Assert.Equal(reference, MmdbAddress(address));
                }
            },
            _ => false);
    }

    /// <summary>RFC 3339 read by regular expression and <see cref="DateTime"/>: the fraction floored to the millisecond, the offset subtracted.</summary>
    private static long ReferenceMillis(string text)
    {
        Match match = Rfc3339().Match(text);
        Assert.True(match.Success, $"'{text}' accepted but not RFC 3339");
        DateTime local = DateTime.ParseExact(match.Groups["time"].Value.ToUpperInvariant(), "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        int millis = match.Groups["fraction"].Success ? int.Parse(match.Groups["fraction"].Value.PadRight(3, '0')[..3], CultureInfo.InvariantCulture) : 0;
        int offsetMinutes = match.Groups["zone"].Value is "Z" or "z"
            ? 0
            : (match.Groups["zone"].Value[0] == '-' ? -1 : 1) * ((int.Parse(match.Groups["zone"].Value[1..3], CultureInfo.InvariantCulture) * 60) + int.Parse(match.Groups["zone"].Value[4..], CultureInfo.InvariantCulture));
        return new DateTimeOffset(local, TimeSpan.Zero).ToUnixTimeMilliseconds() + millis - (offsetMinutes * 60_000L);
    }

    [GeneratedRegex(@"^(?<time>\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d)(\.(?<fraction>\d{1,9}))?(?<zone>[Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)\z")]
    private static partial Regex Rfc3339();

    private static IPAddress MmdbAddress(IpAddress128 address) => ListeningTogether.Pipeline.Geo.MmdbFile.ToIpAddress(address);
}
