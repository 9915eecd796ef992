using System.Buffers;
using System.Globalization;
using System.Text.Json;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Pipeline.ScaleOut;

/// <summary>
/// The message ingest sends to the match stage: an eligible play without its user id or address, already placed
/// (DESIGN.md "Scale-out"): <c>{"v":1,"eventId","trackId","playedAt","receivedAt","location":{geonameId,city,country,lat,lon}}</c>.
/// </summary>
public sealed class RepartitionMessage : IDisposable
{
    public const int Version = 1;

    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _writer;

    public RepartitionMessage()
    {
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>Writes one message; the result is valid until the next call.</summary>
    public ReadOnlyMemory<byte> Write(ReadOnlySpan<byte> eventId, ReadOnlySpan<byte> trackId, long playedAtMs, DateTimeOffset receivedAt, Location location)
    {
        ArgumentNullException.ThrowIfNull(location);
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartObject();
        _writer.WriteNumber("v"u8, Version);
        _writer.WriteString("eventId"u8, eventId);
        _writer.WriteString("trackId"u8, trackId);
        WriteTime("playedAt"u8, playedAtMs);
        WriteTime("receivedAt"u8, receivedAt.ToUnixTimeMilliseconds());
        _writer.WriteStartObject("location"u8);
        _writer.WriteNumber("geonameId"u8, location.GeonameId);
        _writer.WriteString("city"u8, location.City);
        _writer.WriteString("country"u8, location.Country);
        _writer.WriteNumber("lat"u8, location.Lat);
        _writer.WriteNumber("lon"u8, location.Lon);
        _writer.WriteEndObject();
        _writer.WriteEndObject();
        _writer.Flush();
        return _buffer.WrittenMemory;
    }

    public void Dispose() => _writer.Dispose();

    private void WriteTime(ReadOnlySpan<byte> name, long unixMs)
    {
        Span<char> text = stackalloc char[24];
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.TryFormat(text, out int written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        _writer.WriteString(name, text[..written]);
    }
}
