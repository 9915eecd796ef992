using System.Buffers;
using System.Globalization;
using System.Text;
using FsCheck.Xunit;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output;
using ListeningTogether.Replay.Output.Results;

namespace ListeningTogether.Replay.Tests;

/// <summary>DESIGN.md's JSONL result format, one co-play at a time.</summary>
public class CoPlayJsonlTests
{
    private static readonly Location Lima = new(3936456, "Lima", "PE", -12.0432, -77.0282);
    private static readonly Location Osaka = new(1853909, "Osaka", "JP", 34.6937, 135.5022);

    private static string Format(CoPlay coPlay, bool version = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        CoPlayJsonl.Write(buffer, coPlay, version);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void GivenACoPlay_WhenWritten_ThenItIsOneLineInDesignOrderEndingInLineFeed()
    {
        var coPlay = new CoPlay(1_795_701_802_000, "spotify:track:4uLU6hMCjMI75M1A2tKUQC", 7, 5, Osaka, Lima, 15_466.5);

        Assert.Equal(
            "{\"windowStart\":\"2026-11-26T14:03:22.000Z\",\"trackId\":\"spotify:track:4uLU6hMCjMI75M1A2tKUQC\",\"plays\":7,\"locations\":5,"
            + "\"a\":{\"geonameId\":1853909,\"city\":\"Osaka\",\"country\":\"JP\",\"lat\":34.6937,\"lon\":135.5022},"
            + "\"b\":{\"geonameId\":3936456,\"city\":\"Lima\",\"country\":\"PE\",\"lat\":-12.0432,\"lon\":-77.0282},"
            + "\"distanceKm\":15466.5}\n",
            Format(coPlay));
    }

    [Theory]
    [InlineData(0, "1970-01-01T00:00:00.000Z")]
    [InlineData(1_795_701_802_000, "2026-11-26T14:03:22.000Z")]
    [InlineData(1_795_701_802_431, "2026-11-26T14:03:22.431Z")]
    [InlineData(1_795_701_802_007, "2026-11-26T14:03:22.007Z")]
    [InlineData(4_102_444_799_999, "2099-12-31T23:59:59.999Z")]
    public void GivenAWindowStart_WhenWritten_ThenItHasExactlyThreeFractionDigitsAndZ(long windowStartMs, string expected)
    {
        string line = Format(new CoPlay(windowStartMs, "t", 2, 2, Osaka, Lima, 1));

        Assert.StartsWith("{\"windowStart\":\"" + expected + "\",", line, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAPlaceWithoutAnEnglishName_WhenWritten_ThenCityIsNull()
    {
        var unnamed = new Location(2655045, null, "GB", 51.75, -1.25);

        string line = Format(new CoPlay(0, "t", 2, 2, unnamed, Lima, 1));

        Assert.Contains("\"a\":{\"geonameId\":2655045,\"city\":null,\"country\":\"GB\",\"lat\":51.75,\"lon\":-1.25}", line, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenNonAsciiNamesAndIds_WhenWritten_ThenTheLettersAreRawUtf8NotEscaped()
    {
        var linkoping = new Location(2694762, "Linköping", "SE", 58.4167, 15.6167);
        var saoPaulo = new Location(3448439, "São Paulo", "BR", -23.5475, -46.63611);

        string line = Format(new CoPlay(0, "spotify:track:Ωmega-東京", 2, 2, linkoping, saoPaulo, 1));

        Assert.Contains("\"trackId\":\"spotify:track:Ωmega-東京\"", line, StringComparison.Ordinal);
        Assert.Contains("\"city\":\"Linköping\"", line, StringComparison.Ordinal);
        Assert.Contains("\"city\":\"São Paulo\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenQuotesBackslashesAndControlCharactersInATrackId_WhenWritten_ThenTheyAreEscaped()
    {
        string line = Format(new CoPlay(0, "a\"b\\c\td\u0001", 2, 2, Osaka, Lima, 1));

        Assert.Contains("\"trackId\":\"a\\\"b\\\\c\\td\\u0001\"", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(100.0, "100")]
    [InlineData(19096.00222290533, "19096.00222290533")]
    [InlineData(1257.7273632170488, "1257.7273632170488")]
    [InlineData(-0.0931, "-0.0931")]
    public void GivenADouble_WhenWritten_ThenItIsInShortestRoundTripForm(double distanceKm, string expected)
    {
        string line = Format(new CoPlay(0, "t", 2, 2, Osaka, Lima, distanceKm));

        Assert.EndsWith(",\"distanceKm\":" + expected + "}\n", line, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenTheResultsTopicForm_WhenWritten_ThenVersionOneComesFirst()
    {
        string line = Format(new CoPlay(0, "t", 2, 2, Osaka, Lima, 1), version: true);

        Assert.StartsWith("{\"v\":1,\"windowStart\":\"1970-01-01T00:00:00.000Z\",", line, StringComparison.Ordinal);
    }

    /// <summary>
    /// Replay formats places through a cache by place instance: any places (names with quotes, control characters,
    /// non-ASCII or missing; any coordinates), repeated or not, give the very bytes of the uncached form.
    /// </summary>
    [Property(MaxTest = 200)]
    public void GivenAnyPlacesRepeated_WhenWrittenThroughThePlaceCache_ThenTheBytesAreThoseOfTheUncachedForm(
        (long Id, string? City, string? Country, double Lat, double Lon)[] places, byte[] picks, bool version)
    {
        Location[] instances = [.. (places ?? []).Select(p => new Location(p.Id, p.City, p.Country, p.Lat, p.Lon)), Osaka];
        var cache = new PlaceJsonCache();
        var cached = new ArrayBufferWriter<byte>();
        var plain = new ArrayBufferWriter<byte>();
        foreach (byte pick in picks ?? [])
        {
            var coPlay = new CoPlay(pick * 1000L, "t", 2, 2, instances[pick % instances.Length], instances[(pick / 3) % instances.Length], pick / 7.0);
            CoPlayJsonl.Write(cached, coPlay, cache, version);
            CoPlayJsonl.Write(plain, coPlay, version);
        }

        Assert.Equal(plain.WrittenSpan, cached.WrittenSpan);
    }

    /// <summary>Co-play lines format their times in integers: any time DateTimeOffset can hold comes out as its format string gives it.</summary>
    [Property(MaxTest = 2000)]
    public void GivenAnyTime_WhenWritten_ThenItIsTheFormattedTimeQuoted(long seed)
    {
        const long Min = -62_135_596_800_000, Max = 253_402_300_799_999;
        long unixMs = Min + (long)((ulong)seed % (ulong)(Max - Min + 1));
        var buffer = new ArrayBufferWriter<byte>();

        JsonText.WriteTime(buffer, unixMs);

        Assert.Equal("\"" + DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) + "\"", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Theory]
    [InlineData(-62_135_596_800_000, "0001-01-01T00:00:00.000Z")]
    [InlineData(-1, "1969-12-31T23:59:59.999Z")]
    [InlineData(951_782_400_000, "2000-02-29T00:00:00.000Z")]
    [InlineData(4_107_542_399_999, "2100-02-28T23:59:59.999Z")]
    [InlineData(253_402_300_799_999, "9999-12-31T23:59:59.999Z")]
    public void GivenATimeAtACalendarEdge_WhenWritten_ThenItIsTheCalendarDate(long unixMs, string expected)
    {
        var buffer = new ArrayBufferWriter<byte>();

        JsonText.WriteTime(buffer, unixMs);

        Assert.Equal("\"" + expected + "\"", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Theory]
    [InlineData(-62_135_596_800_001)]
    [InlineData(253_402_300_800_000)]
    public void GivenATimeOutsideWhatDateTimeOffsetHolds_WhenWritten_ThenItIsRefused(long unixMs) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => JsonText.WriteTime(new ArrayBufferWriter<byte>(), unixMs));
}
