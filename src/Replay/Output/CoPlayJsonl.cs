using System.Buffers;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Replay.Output;

/// <summary>The JSONL form of a co-play: one object a line, nested places, as DESIGN.md specifies.</summary>
public static class CoPlayJsonl
{
    /// <summary>Writes one co-play and its line end; <paramref name="version"/> adds <c>"v":1</c> for the results topic.</summary>
    public static void Write(IBufferWriter<byte> output, CoPlay coPlay, bool version = false) => Write(output, coPlay, null, version);

    /// <summary>As above, the places' objects from (and into) <paramref name="places"/> when given.</summary>
    internal static void Write(IBufferWriter<byte> output, CoPlay coPlay, PlaceJsonCache? places, bool version = false) =>
        Write(output, coPlay, CoPlayPlaces.None, places, version);

    /// <summary>As above, the places' objects found by their ids in <paramref name="places"/> when given.</summary>
    internal static void Write(IBufferWriter<byte> output, CoPlay coPlay, CoPlayPlaces ids, PlaceJsonCache? places, bool version = false)
    {
        JsonText.WriteRaw(output, version ? "{\"v\":1,\"windowStart\":"u8 : "{\"windowStart\":"u8);
        JsonText.WriteTime(output, coPlay.WindowStartMs);
        JsonText.WriteRaw(output, ",\"trackId\":"u8);
        JsonText.WriteString(output, coPlay.TrackId);
        JsonText.WriteRaw(output, ",\"plays\":"u8);
        JsonText.WriteInt64(output, coPlay.Plays);
        JsonText.WriteRaw(output, ",\"locations\":"u8);
        JsonText.WriteInt64(output, coPlay.Locations);
        JsonText.WriteRaw(output, ",\"a\":"u8);
        WritePlace(output, ids.A, coPlay.A, places);
        JsonText.WriteRaw(output, ",\"b\":"u8);
        WritePlace(output, ids.B, coPlay.B, places);
        JsonText.WriteRaw(output, ",\"distanceKm\":"u8);
        JsonText.WriteDouble(output, coPlay.DistanceKm);
        JsonText.WriteRaw(output, "}\n"u8);
    }

    private static void WritePlace(IBufferWriter<byte> output, int placeId, Location place, PlaceJsonCache? places)
    {
        if (places is null)
        {
            WritePlace(output, place);
        }
        else
        {
            JsonText.WriteRaw(output, places.Of(placeId, place));
        }
    }

    internal static void WritePlace(IBufferWriter<byte> output, Location place)
    {
        JsonText.WriteRaw(output, "{\"geonameId\":"u8);
        JsonText.WriteInt64(output, place.GeonameId);
        JsonText.WriteRaw(output, ",\"city\":"u8);
        JsonText.WriteString(output, place.City);
        JsonText.WriteRaw(output, ",\"country\":"u8);
        JsonText.WriteString(output, place.Country);
        JsonText.WriteRaw(output, ",\"lat\":"u8);
        JsonText.WriteDouble(output, place.Lat);
        JsonText.WriteRaw(output, ",\"lon\":"u8);
        JsonText.WriteDouble(output, place.Lon);
        JsonText.WriteRaw(output, "}"u8);
    }
}
