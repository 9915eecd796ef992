using System.Buffers;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Replay.Output.Results;

/// <summary>
/// Each place's JSONL object (<c>{"geonameId":…,"city":…,"country":…,"lat":…,"lon":…}</c>) as UTF-8, formatted once
/// rather than once per co-play. Places with a City database place id (replay's matcher gives them) are found by
/// index: the objects lie end to end in one arena with an offset table, so a lookup touches the table entry and the
/// bytes, never the place (each hash lookup cost several cache misses while the matcher streams its buckets through
/// the cache). Memory is bounded by the City database's distinct places, never by the input. Other places (read back
/// from files, an instance per row) go by value, in a dictionary that starts anew past a bound. One per thread.
/// </summary>
internal sealed class PlaceJsonCache
{
    /// <summary>Past this many places by value the dictionary starts anew.</summary>
    private const int MaxPlaces = 1 << 16;

    private readonly Dictionary<Location, byte[]> _places = new(PlaceIdentity.Instance);
    private readonly ArrayBufferWriter<byte> _scratch = new(256);

    // By place id: the object's offset in _arena (high 32 bits) and length (low 32 bits); 0 until formatted (no object is empty).
    private long[] _spans = new long[1024];
    private byte[] _arena = new byte[1 << 16];
    private int _arenaLength;

    /// <summary>The place's object, by its place id when it has one (not negative). Its bytes never change, so the span stays valid after later calls.</summary>
    public ReadOnlySpan<byte> Of(int placeId, Location place)
    {
        if (placeId < 0)
        {
            return Of(place);
        }

        if ((uint)placeId < (uint)_spans.Length && _spans[placeId] is long span and not 0)
        {
            return _arena.AsSpan((int)(span >>> 32), (int)span);
        }

        return Add(placeId, place);
    }

    /// <summary>The place's object, by value.</summary>
    public ReadOnlySpan<byte> Of(Location place)
    {
        if (!_places.TryGetValue(place, out byte[]? json))
        {
            if (_places.Count == MaxPlaces)
            {
                _places.Clear();
            }

            json = Format(place).ToArray();
            _places.Add(place, json);
        }

        return json;
    }

    private ReadOnlySpan<byte> Add(int placeId, Location place)
    {
        ReadOnlySpan<byte> json = Format(place);
        if (placeId >= _spans.Length)
        {
            Array.Resize(ref _spans, Math.Max(placeId + 1, _spans.Length * 2));
        }

        if (_arenaLength + json.Length > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arenaLength + json.Length, _arena.Length * 2));
        }

        // An arena that grows leaves its old copy to spans handed out earlier: the bytes there stay as they were.
        Span<byte> stored = _arena.AsSpan(_arenaLength, json.Length);
        json.CopyTo(stored);
        _spans[placeId] = ((long)_arenaLength << 32) | (uint)json.Length;
        _arenaLength += json.Length;
        return stored;
    }

    private ReadOnlySpan<byte> Format(Location place)
    {
        _scratch.ResetWrittenCount();
        CoPlayJsonl.WritePlace(_scratch, place);
        return _scratch.WrittenSpan;
    }
}
