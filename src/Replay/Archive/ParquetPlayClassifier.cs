using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Eligibility;
using ListeningTogether.Pipeline.Geo;

namespace ListeningTogether.Replay.Archive;

/// <summary>
/// The eligibility of one Parquet play row, without JSON: the same reasons in the same order as
/// <see cref="Pipeline.Eligibility.PlayClassifier"/> gives a JSONL record (a typed row cannot be malformed), and the
/// same IP, Anonymous-IP and City steps. Ids and ip are transcoded to UTF-8 into buffers the classifier reuses,
/// valid until the next row. One per worker thread.
/// </summary>
internal sealed class ParquetPlayClassifier
{
    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;

    private readonly AddressClassifier _addresses;
    private byte[] _eventId = new byte[256];
    private byte[] _trackId = new byte[256];
    private byte[] _ip = new byte[64];

    public ParquetPlayClassifier(CityDatabase cities, AnonymousIpDatabase? anonymous, int maxAccuracyRadiusKm)
    {
        _addresses = new AddressClassifier(cities, anonymous, maxAccuracyRadiusKm);
    }

    /// <summary>
    /// A Parquet timestamp as epoch milliseconds, floored. The reader gives every encoding (INT64 millis, micros or
    /// nanos, UTC-adjusted or not, INT96) as wall-clock ticks; they are read as UTC whatever their kind.
    /// </summary>
    public static long ToEpochMillis(DateTime timestamp) =>
        Math.DivRem(timestamp.Ticks - UnixEpochTicks, TimeSpan.TicksPerMillisecond, out long rem) - (rem < 0 ? 1 : 0);

    /// <summary>Classifies one row; <paramref name="play"/> is filled as far as the checks got, its location only when eligible.</summary>
    public IneligibleReason Classify(
        ReadOnlyMemory<char>? eventId,
        ReadOnlyMemory<char>? trackId,
        ReadOnlyMemory<char>? ip,
        DateTime? playedAt,
        bool? privateSession,
        out ParquetPlayFields play)
    {
        play = default;
        play.CityRecord = -1;
        if (eventId is not { } eventIdText || !IsValidId(eventIdText.Span))
        {
            return IneligibleReason.InvalidEventId;
        }

        if (trackId is not { } trackIdText || !IsValidId(trackIdText.Span))
        {
            return IneligibleReason.InvalidTrackId;
        }

        if (playedAt is not { } time || !PlayedAtParser.IsInRange(ToEpochMillis(time)))
        {
            return IneligibleReason.InvalidPlayedAt;
        }

        play.EventId = ToUtf8(eventIdText.Span, ref _eventId);
        play.TrackId = ToUtf8(trackIdText.Span, ref _trackId);
        play.PlayedAtMs = ToEpochMillis(time);
        play.HasPlayedAt = true;
        if (privateSession == true)
        {
            return IneligibleReason.PrivateSession;
        }

        if (ip is not { IsEmpty: false } ipText)
        {
            return IneligibleReason.IpMissing;
        }

        // From here on the same address steps as a JSONL record.
        IneligibleReason reason = _addresses.Classify(ToUtf8(ipText.Span, ref _ip), out CityGeo? geo);
        if (reason != IneligibleReason.None)
        {
            return reason;
        }

        play.CityRecord = geo!.Id;
        return IneligibleReason.None;
    }

    /// <summary>1..128 code points, as the UTF-8 text would count them (a lone surrogate counts as the one U+FFFD it encodes to).</summary>
    private static bool IsValidId(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        if (text.Length <= PlayDecoder.MaxIdCodePoints)
        {
            return true;
        }

        int codePoints = 0;
        foreach (Rune _ in text.EnumerateRunes())
        {
            if (++codePoints > PlayDecoder.MaxIdCodePoints)
            {
                return false;
            }
        }

        return true;
    }

    private static ReadOnlySpan<byte> ToUtf8(ReadOnlySpan<char> text, ref byte[] buffer)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (buffer.Length < max)
        {
            buffer = new byte[Math.Max(max, buffer.Length * 2)];
        }

        return buffer.AsSpan(0, Encoding.UTF8.GetBytes(text, buffer));
    }
}

/// <summary>What classifying a Parquet play row found: its UTF-8 ids, its time and, when eligible, its City record.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1051", Justification = "A ref struct of spans filled by out arguments on the hot path, like PlayFields.")]
internal ref struct ParquetPlayFields
{
    public ReadOnlySpan<byte> EventId;
    public ReadOnlySpan<byte> TrackId;
    public long PlayedAtMs;
    public bool HasPlayedAt;

    /// <summary>The City database record id (<see cref="CityDatabase.ById"/>) of an eligible play; -1 otherwise.</summary>
    public int CityRecord;
}
