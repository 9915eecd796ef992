using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace ListeningTogether.Replay.Output;

/// <summary>
/// Small JSON text helpers for the result formats: strings as raw UTF-8 (only quotes, backslashes and control
/// characters escaped), doubles in their shortest round-trip form, times as ISO 8601 with milliseconds and Z.
/// </summary>
public static class JsonText
{
    public static void WriteString(IBufferWriter<byte> output, string? value)
    {
        if (value is null)
        {
            WriteRaw(output, "null"u8);
            return;
        }

        if (!value.AsSpan().ContainsAnyInRange('\0', '\x1f') && !value.AsSpan().ContainsAny('"', '\\'))
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

    public static void WriteDouble(IBufferWriter<byte> output, double value)
    {
        // .NET formats doubles in their shortest round-trip form by default.
        Span<byte> buffer = output.GetSpan(32);
        value.TryFormat(buffer, out int written, default, CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    public static void WriteInt64(IBufferWriter<byte> output, long value)
    {
        Span<byte> buffer = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, buffer, out int written);
        output.Advance(written);
    }

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string FormatTime(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>The time as a JSON string, formatted as <see cref="FormatTime"/> does, straight into the output.</summary>
    public static void WriteTime(IBufferWriter<byte> output, long unixMs)
    {
        Span<byte> span = output.GetSpan(40);
        span[0] = (byte)'"';
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.TryFormat(span[1..], out int written, TimeFormat, CultureInfo.InvariantCulture);
        span[written + 1] = (byte)'"';
        output.Advance(written + 2);
    }

    public static void WriteRaw(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}
