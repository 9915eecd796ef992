using ListeningTogether.Abstractions;
using ParquetSharp;

namespace ListeningTogether.Replay.Output.Results;

/// <summary>
/// A place's Parquet values: its GeoNames id and coordinates, and its city and country as UTF-8 (null for a missing
/// name); by place id, writing a row then reads this alone, not the place too.
/// </summary>
internal readonly record struct PlaceText(long GeonameId, double Lat, double Lon, ByteArray? City, ByteArray? Country);

/// <summary>
/// The UTF-8 city and country of each place a Parquet writer has seen, converted once rather than once per co-play.
/// Places with a City database place id (replay's matcher gives them) are found by index in an array, one hash
/// lookup's cache misses fewer per place; that array and its bytes are bounded by the City database's distinct
/// places, never by the input, and are kept for the writer's life. Other places (co-plays read back from files, a
/// place instance per row) go by value, in a dictionary that starts anew past a bound.
/// </summary>
internal sealed class PlaceTextCache
{
    /// <summary>Past this many places by value (say co-plays read back from files, a place instance per row) the cache starts anew.</summary>
    private const int MaxPlaces = 1 << 16;

    private readonly Dictionary<Location, PlaceText> _places = new(PlaceIdentity.Instance);
    private readonly PinnedUtf8Arena _bytes = new();
    private readonly PinnedUtf8Arena _bytesById = new();
    private Entry[] _byId = new Entry[1024];

    /// <summary>The place's names, by its place id when it has one (not negative); valid until <see cref="ForgetIfLarge"/>.</summary>
    public PlaceText Of(int placeId, Location place)
    {
        if (placeId < 0)
        {
            return Of(place);
        }

        if ((uint)placeId < (uint)_byId.Length && _byId[placeId].Known)
        {
            return _byId[placeId].Text;
        }

        if (placeId >= _byId.Length)
        {
            Array.Resize(ref _byId, Math.Max(placeId + 1, _byId.Length * 2));
        }

        PlaceText text = Convert(_bytesById, place);
        _byId[placeId] = new Entry(text, Known: true);
        return text;
    }

    /// <summary>The place's names, by value; valid until <see cref="ForgetIfLarge"/>.</summary>
    public PlaceText Of(Location place)
    {
        if (!_places.TryGetValue(place, out PlaceText text))
        {
            text = Convert(_bytes, place);
            _places.Add(place, text);
        }

        return text;
    }

    /// <summary>Starts the by-value places anew when they have grown past their bound; only between row groups, while no value is in use.</summary>
    public void ForgetIfLarge()
    {
        if (_places.Count > MaxPlaces)
        {
            _places.Clear();
            _bytes.Reset();
        }
    }

    private static PlaceText Convert(PinnedUtf8Arena bytes, Location place) => new(
        place.GeonameId,
        place.Lat,
        place.Lon,
        place.City is null ? null : bytes.Add(place.City),
        place.Country is null ? null : bytes.Add(place.Country));

    private readonly record struct Entry(PlaceText Text, bool Known);
}
