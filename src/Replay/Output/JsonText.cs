using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Replay.Output;

/// <summary>
/// Small JSON text helpers for the result formats: strings as raw UTF-8 (only quotes, backslashes and control
/// characters escaped), doubles in their shortest round-trip form, times as ISO 8601 with milliseconds and Z.
/// </summary>
public static class JsonText
{
    /// <summary>Whether the string needs escapes in JSON (quotes, backslashes, control characters); most do not.</summary>
    public static bool NeedsEscaping(string value) =>
        value.AsSpan().ContainsAnyInRange('\0', '\x1f') || value.AsSpan().ContainsAny('"', '\\');

    public static void WriteString(IBufferWriter<byte> output, string? value)
    {
        if (value is null)
        {
            WriteRaw(output, "null"u8);
            return;
        }

        if (!NeedsEscaping(value))
        {
            // Nothing to escape (the usual case): transcode straight into the output.
            Span<byte> span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(value.Length) + 2);
            span[0] = (byte)'"';
            int written = Encoding.UTF8.GetBytes(value, span[1..]);
            span[written + 1] = (byte)'"';
            output.Advance(written + 2);
            return;
        }

        var sb = new StringBuilder(value.Length + 2);
        sb.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case < ' ': sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); break;
                default: sb.Append(c); break;
            }
        }

        sb.Append('"');
        WriteRaw(output, Encoding.UTF8.GetBytes(sb.ToString()));
    }

    public static void WriteDouble(IBufferWriter<byte> output, double value) => output.Advance(WriteDouble(output.GetSpan(32), value));

    /// <summary>As <see cref="WriteDouble(IBufferWriter{byte}, double)"/> into a span of at least 32 bytes; returns the bytes written.</summary>
    public static int WriteDouble(Span<byte> span, double value)
    {
        // .NET formats doubles in their shortest round-trip form by default.
        value.TryFormat(span, out int written, default, CultureInfo.InvariantCulture);
        return written;
    }

    public static void WriteInt64(IBufferWriter<byte> output, long value) => output.Advance(WriteInt64(output.GetSpan(20), value));

    /// <summary>As <see cref="WriteInt64(IBufferWriter{byte}, long)"/> into a span of at least 20 bytes; returns the bytes written.</summary>
    public static int WriteInt64(Span<byte> span, long value)
    {
        Utf8Formatter.TryFormat(value, span, out int written);
        return written;
    }

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string FormatTime(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>The time as a JSON string, formatted as <see cref="FormatTime"/> does, straight into the output.</summary>
    public static void WriteTime(IBufferWriter<byte> output, long unixMs) =>
        output.Advance(WriteTime(output.GetSpan(TimeLength), unixMs));

    /// <summary>The length of a time as <see cref="WriteTime(IBufferWriter{byte}, long)"/> writes it, quotes included.</summary>
    public const int TimeLength = IsoUtcTime.Length + 2;

    /// <summary>As <see cref="WriteTime(IBufferWriter{byte}, long)"/> into <paramref name="span"/> (at least <see cref="TimeLength"/> bytes); returns the bytes written.</summary>
    public static int WriteTime(Span<byte> span, long unixMs)
    {
        // In integers: DateTime's format strings and calendar properties cost more than the rest of a co-play line.
        ArgumentOutOfRangeException.ThrowIfLessThan(unixMs, MinUnixMs);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(unixMs, MaxUnixMs);
        span = span[..TimeLength];
        span[0] = (byte)'"';
        IsoUtcTime.Write(span[1..], unixMs);
        span[^1] = (byte)'"';
        return TimeLength;
    }

    private const long MinUnixMs = -62_135_596_800_000; // 0001-01-01T00:00:00Z, as DateTimeOffset allows
    private const long MaxUnixMs = IsoUtcTime.MaxUnixMs;

    public static void WriteRaw(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}
