using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Simulator;

/// <summary>Writes a catalog as JSONL, one <c>{"trackId","title","artist"}</c> object a line, UTF-8 without escaping letters.</summary>
public static class CatalogJsonl
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(IEnumerable<Track> tracks, Stream destination)
    {
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        using var json = new Utf8JsonWriter(buffer, Options);
        foreach (var track in tracks)
        {
            json.Reset();
            json.WriteStartObject();
            json.WriteString("trackId"u8, track.TrackId);
            json.WriteString("title"u8, track.Title);
            json.WriteString("artist"u8, track.Artist);
            json.WriteEndObject();
            json.Flush();
            buffer.Write("\n"u8);
            if (buffer.WrittenCount > 60_000)
            {
                destination.Write(buffer.WrittenSpan);
                buffer.ResetWrittenCount();
            }
        }

        destination.Write(buffer.WrittenSpan);
    }

    /// <summary>Writes the catalog to a file, replacing it.</summary>
    public static void WriteFile(IEnumerable<Track> tracks, string path)
    {
        using var file = File.Create(path);
        Write(tracks, file);
    }
}
