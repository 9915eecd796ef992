using System.Buffers;
using System.Text;
using System.Text.Json;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using Microsoft.Win32.SafeHandles;

namespace ListeningTogether.Replay.Output.Sinks;

/// <summary>
/// The dead-letter store as a JSONL file of <c>{reason, receivedAt, source, payload}</c>. The payload is cut at
/// 4 KiB and written as a JSON string (invalid UTF-8 replaced by U+FFFD). Thread-safe. An entry is written whole
/// or not at all: a write that fails (a full disk) is cut back off, so writing it again leaves one copy.
/// </summary>
public sealed class DeadLetterJsonlWriter : IDeadLetterSink, IDisposable
{
    private readonly Lock _gate = new();
    private readonly SafeFileHandle _file;
    private readonly Utf8JsonWriter _writer;
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private long _length;

    public DeadLetterJsonlWriter(string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        _file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        _length = RandomAccess.GetLength(_file);
        _writer = new Utf8JsonWriter(_line, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public void Write(DeadLetter deadLetter)
    {
        ReadOnlySpan<byte> payload = deadLetter.Payload.Span;
        if (payload.Length > DeadLetter.MaxPayloadBytes)
        {
            payload = payload[..DeadLetter.MaxPayloadBytes];
        }

        // The store keeps input data but never user ids.
        string text = Encoding.UTF8.GetString(UserIdRedaction.Redact(payload));
        lock (_gate)
        {
            _line.ResetWrittenCount();
            _writer.Reset(_line);
            _writer.WriteStartObject();
            _writer.WriteString("reason", deadLetter.Reason.Code());
            _writer.WriteString("receivedAt", deadLetter.ReceivedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            _writer.WriteString("source", deadLetter.Source);
            _writer.WriteString("payload", text);
            _writer.WriteEndObject();
            _writer.Flush();
            _line.Write("\n"u8);

            // One write per entry: a crash never leaves half an entry or one without its line end.
            try
            {
                RandomAccess.Write(_file, _line.WrittenSpan, _length);
            }
            catch (IOException)
            {
                // The next write goes to the same offset anyway; cutting the torn part off keeps the file whole meanwhile.
                TryCutBack();
                throw;
            }

            _length += _line.WrittenCount;
        }
    }

    private void TryCutBack()
    {
        try
        {
            RandomAccess.SetLength(_file, _length);
        }
        catch (IOException)
        {
            // Still torn; the next write covers it.
        }
    }

    public void Dispose()
    {
        _writer.Dispose();
        _file.Dispose();
    }
}
