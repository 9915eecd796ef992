using System.Text.Json;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Matching;

namespace ListeningTogether.Pipeline.ScaleOut;

/// <summary>
/// Reads <see cref="RepartitionMessage"/>s in the match stage. Places are shared per (city, coordinates), so a
/// steady stream allocates nothing per play. Not thread-safe: one decoder per matcher loop.
/// </summary>
public sealed class RepartitionedPlayDecoder
{
    private readonly Dictionary<long, GeoPoint> _points = [];
    private byte[] _scratch = new byte[1024];
    private int _scratchUsed;

    /// <summary>Returns false for anything but a well-formed version-1 message (the caller dead-letters it as malformed).</summary>
    public bool TryDecode(ReadOnlySpan<byte> json, out PlayFields fields, out GeoPoint? point)
    {
        fields = default;
        point = null;
        _scratchUsed = 0;
        long geonameId = 0;
        string? city = null, country = null;
        double lat = double.NaN, lon = double.NaN;
        bool hasVersion = false, hasPlace = false;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("v"u8))
                {
                    reader.Read();
                    hasVersion = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int version) && version == RepartitionMessage.Version;
                }
                else if (reader.ValueTextEquals("eventId"u8))
                {
                    reader.Read();
                    fields.EventId = ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("trackId"u8))
                {
                    reader.Read();
                    fields.TrackId = ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("playedAt"u8))
                {
                    reader.Read();
                    fields.HasPlayedAt = reader.TokenType == JsonTokenType.String && PlayedAtParser.TryParseText(ReadString(ref reader), out fields.PlayedAtMs);
                }
                else if (reader.ValueTextEquals("location"u8))
                {
                    reader.Read();
                    hasPlace = ReadPlace(ref reader, ref geonameId, ref city, ref country, ref lat, ref lon);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or a string that is not UTF-8 or holds a lone surrogate escape.
            return false;
        }

        if (!hasVersion || !hasPlace || !fields.HasPlayedAt || fields.EventId.IsEmpty || fields.TrackId.IsEmpty || !double.IsFinite(lat) || !double.IsFinite(lon))
        {
            return false;
        }

        point = Point(geonameId, city, country, lat, lon);
        return true;
    }

    private GeoPoint Point(long geonameId, string? city, string? country, double lat, double lon)
    {
        if (_points.TryGetValue(geonameId, out GeoPoint? known)
            && known.Location.Lat.Equals(lat) && known.Location.Lon.Equals(lon)
            && known.Location.City == city && known.Location.Country == country)
        {
            return known;
        }

        var point = new GeoPoint(new Location(geonameId, city, country, lat, lon));
        _points[geonameId] = point;
        return point;
    }

    private static bool ReadPlace(scoped ref Utf8JsonReader reader, ref long geonameId, ref string? city, ref string? country, ref double lat, ref double lon)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        bool hasId = false, wellTyped = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("geonameId"u8))
            {
                reader.Read();
                hasId = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out geonameId);
            }
            else if (reader.ValueTextEquals("city"u8))
            {
                reader.Read();
                wellTyped &= TryReadText(ref reader, out city);
            }
            else if (reader.ValueTextEquals("country"u8))
            {
                reader.Read();
                wellTyped &= TryReadText(ref reader, out country);
            }
            else if (reader.ValueTextEquals("lat"u8))
            {
                reader.Read();
                wellTyped &= reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out lat);
            }
            else if (reader.ValueTextEquals("lon"u8))
            {
                reader.Read();
                wellTyped &= reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out lon);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return hasId && wellTyped;
    }

    /// <summary>A string or null; false for any other token.</summary>
    private static bool TryReadText(scoped ref Utf8JsonReader reader, out string? text)
    {
        text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return reader.TokenType is JsonTokenType.String or JsonTokenType.Null;
    }

    private ReadOnlySpan<byte> ReadString(scoped ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return default;
        }

        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }

        int needed = reader.ValueSpan.Length;
        if (_scratch.Length - _scratchUsed < needed)
        {
            Array.Resize(ref _scratch, Math.Max(_scratch.Length * 2, _scratchUsed + needed));
        }

        int written = reader.CopyString(_scratch.AsSpan(_scratchUsed));
        ReadOnlySpan<byte> value = _scratch.AsSpan(_scratchUsed, written);
        _scratchUsed += written;
        return value;
    }
}
