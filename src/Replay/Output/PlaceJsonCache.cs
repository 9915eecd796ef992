using System.Buffers;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Replay.Output;

/// <summary>
/// Each place's JSONL object (<c>{"geonameId":…,"city":…,"country":…,"lat":…,"lon":…}</c>) as UTF-8, by place
/// instance: replay's places are the City database's (one per City record), so each is formatted once rather than
/// once per co-play. One per thread.
/// </summary>
internal sealed class PlaceJsonCache
{
    /// <summary>Past this many places (say places read back from files, an instance per row) the cache starts anew.</summary>
    private const int MaxPlaces = 1 << 16;

    private readonly Dictionary<Location, byte[]> _places = new(PlaceIdentity.Instance);
    private readonly ArrayBufferWriter<byte> _scratch = new(256);

    public ReadOnlySpan<byte> Of(Location place)
    {
        if (!_places.TryGetValue(place, out byte[]? json))
        {
            if (_places.Count == MaxPlaces)
            {
                _places.Clear();
            }

            _scratch.ResetWrittenCount();
            CoPlayJsonl.WritePlace(_scratch, place);
            json = _scratch.WrittenSpan.ToArray();
            _places.Add(place, json);
        }

        return json;
    }
}
