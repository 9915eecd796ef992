using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using FsCheck.Xunit;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Results;
using ByteArray = ParquetSharp.ByteArray;

namespace ListeningTogether.Replay.Tests;

/// <summary>Result writing's place caches by City database place id against the same caches by value and the uncached form.</summary>
public sealed class PlaceCacheTests
{
    private static readonly Location Osaka = new(1853909, "Osaka", "JP", 34.6937, 135.5022);

    /// <summary>Places as the City database numbers them: one id per distinct place, ids spread out so the tables grow.</summary>
    private static (Location Place, int Id)[] Numbered((long Id, string? City, string? Country, double Lat, double Lon)[]? places) =>
        [.. (places ?? []).Select(p => new Location(p.Id, p.City, p.Country, p.Lat, p.Lon)).Append(Osaka).Select((p, i) => (p, i * 613))];

    [Property(MaxTest = 200)]
    public void GivenAnyPlacesWithIdsRepeated_WhenWrittenThroughTheJsonCache_ThenTheBytesAreThoseOfTheUncachedForm(
        (long Id, string? City, string? Country, double Lat, double Lon)[] places, byte[] picks, bool version)
    {
        (Location Place, int Id)[] numbered = Numbered(places);
        var cache = new PlaceJsonCache();
        var byId = new ArrayBufferWriter<byte>();
        var plain = new ArrayBufferWriter<byte>();
        foreach (byte pick in picks ?? [])
        {
            (Location a, int idA) = numbered[pick % numbered.Length];
            (Location b, int idB) = numbered[(pick / 3) % numbered.Length];
            var coPlay = new CoPlay(pick * 1000L, "t", 2, 2, a, b, pick / 7.0);

            CoPlayJsonl.Write(byId, coPlay, new CoPlayPlaces(idA, idB), cache, version);
            CoPlayJsonl.Write(plain, coPlay, version);

            // Co-plays without ids (read back from files) go through the same cache by value.
            CoPlayJsonl.Write(byId, coPlay, cache, version);
            CoPlayJsonl.Write(plain, coPlay, version);
        }

        Assert.Equal(plain.WrittenSpan, byId.WrittenSpan);
    }

    [Property(MaxTest = 200)]
    public void GivenAnyPlacesWithIdsRepeated_WhenTheirParquetTextIsCached_ThenByIdAndByValueGiveTheirIdsCoordinatesAndNamesAsUtf8(
        (long Id, string? City, string? Country, double Lat, double Lon)[] places, byte[] picks)
    {
        (Location Place, int Id)[] numbered = Numbered(places);
        var cache = new PlaceTextCache();
        foreach (byte pick in picks ?? [])
        {
            (Location place, int id) = numbered[pick % numbered.Length];

            PlaceText byId = cache.Of(id, place);
            PlaceText byValue = cache.Of(place);

            Assert.Equal((place.GeonameId, place.Lat, place.Lon), (byId.GeonameId, byId.Lat, byId.Lon));
            Assert.Equal((place.GeonameId, place.Lat, place.Lon), (byValue.GeonameId, byValue.Lat, byValue.Lon));
            Assert.Equal(place.City, Text(byId.City));
            Assert.Equal(place.Country, Text(byId.Country));
            Assert.Equal(place.City, Text(byValue.City));
            Assert.Equal(place.Country, Text(byValue.Country));
        }
    }

    [Fact]
    public void GivenManyPlacesByValue_WhenTheCacheForgets_ThenPlacesByIdKeepTheirText()
    {
        var cache = new PlaceTextCache();
        PlaceText osaka = cache.Of(7, Osaka);
        for (int i = 0; i <= (1 << 16); i++)
        {
            cache.Of(new Location(i, $"City {i}", "XX", i, 0));
        }

        cache.ForgetIfLarge();
        for (int i = 0; i < 1000; i++)
        {
            cache.Of(new Location(i, $"Other {i}", "YY", i, 1));
        }

        Assert.Equal(osaka, cache.Of(7, Osaka));
        Assert.Equal("Osaka", Text(cache.Of(7, Osaka).City));
    }

    private static string? Text(ByteArray? value)
    {
        if (value is not ByteArray bytes)
        {
            return null;
        }

        byte[] copy = new byte[bytes.Length];
        Marshal.Copy(bytes.Pointer, copy, 0, bytes.Length);
        return Encoding.UTF8.GetString(copy);
    }
}
