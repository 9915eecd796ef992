using System.Buffers;
using System.Text;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Replay.Output.Results;

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
        if (places is not null && !JsonText.NeedsEscaping(coPlay.TrackId))
        {
            WriteLine(output, coPlay, places.Of(ids.A, coPlay.A), places.Of(ids.B, coPlay.B), version);
            return;
        }

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

    /// <summary>
    /// The line of a co-play whose track id needs no escaping and whose places are already formatted, in one span of
    /// the output: replay writes hundreds of thousands of lines, and a dozen buffer-writer calls a line cost more than
    /// the formatting.
    /// </summary>
    private static void WriteLine(IBufferWriter<byte> output, CoPlay coPlay, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, bool version)
    {
        // Fixed text (under 100 bytes), the time, two longs (20 bytes each), a double (at most 32) and the strings.
        int most = 200 + Encoding.UTF8.GetMaxByteCount(coPlay.TrackId.Length) + a.Length + b.Length;
        Span<byte> line = output.GetSpan(most);
        int n = Append(line, 0, version ? "{\"v\":1,\"windowStart\":"u8 : "{\"windowStart\":"u8);
        n += JsonText.WriteTime(line[n..], coPlay.WindowStartMs);
        n = Append(line, n, ",\"trackId\":\""u8);
        n += Encoding.UTF8.GetBytes(coPlay.TrackId, line[n..]);
        n = Append(line, n, "\",\"plays\":"u8);
        n += JsonText.WriteInt64(line[n..], coPlay.Plays);
        n = Append(line, n, ",\"locations\":"u8);
        n += JsonText.WriteInt64(line[n..], coPlay.Locations);
        n = Append(line, n, ",\"a\":"u8);
        n = Append(line, n, a);
        n = Append(line, n, ",\"b\":"u8);
        n = Append(line, n, b);
        n = Append(line, n, ",\"distanceKm\":"u8);
        n += JsonText.WriteDouble(line[n..], coPlay.DistanceKm);
        n = Append(line, n, "}\n"u8);
        output.Advance(n);
    }

    private static int Append(Span<byte> line, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(line[at..]);
        return at + bytes.Length;
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
