using ListeningTogether.Abstractions;
using ParquetSharp;

namespace ListeningTogether.Replay.Output;

/// <summary>A place's city and country as UTF-8 Parquet values (null for a missing name).</summary>
internal readonly record struct PlaceText(ByteArray? City, ByteArray? Country);

/// <summary>
/// The UTF-8 city and country of each place a Parquet writer has seen, by place instance: replay's places are the
/// City database's (one per City record), so each is converted once rather than once per co-play.
/// </summary>
internal sealed class PlaceTextCache
{
    /// <summary>Past this many places (say co-plays read back from files, a place instance per row) the cache starts anew.</summary>
    private const int MaxPlaces = 1 << 16;

    private readonly Dictionary<Location, PlaceText> _places = new(PlaceIdentity.Instance);
    private readonly PinnedUtf8Arena _bytes = new();

    /// <summary>The place's names, valid until <see cref="ForgetIfLarge"/>.</summary>
    public PlaceText Of(Location place)
    {
        if (!_places.TryGetValue(place, out PlaceText text))
        {
            text = new PlaceText(
                place.City is null ? null : _bytes.Add(place.City),
                place.Country is null ? null : _bytes.Add(place.Country));
            _places.Add(place, text);
        }

        return text;
    }

    /// <summary>Starts anew when the cache has grown past its bound; only between row groups, while no value is in use.</summary>
    public void ForgetIfLarge()
    {
        if (_places.Count > MaxPlaces)
        {
            _places.Clear();
            _bytes.Reset();
        }
    }
}
