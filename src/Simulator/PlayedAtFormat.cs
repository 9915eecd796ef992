using ListeningTogether.Abstractions;

namespace ListeningTogether.Simulator;

/// <summary>Formats epoch milliseconds as <c>YYYY-MM-DDTHH:MM:SS.mmmZ</c> in UTF-8 with integer arithmetic only.</summary>
internal static class PlayedAtFormat
{
    public const int Length = IsoUtcTime.Length;

    public static int Write(long epochMs, Span<byte> d)
    {
        if (epochMs is < IsoUtcTime.MinUnixMs or > IsoUtcTime.MaxUnixMs)
        {
            throw new ArgumentOutOfRangeException(nameof(epochMs), epochMs, "The time is outside years 0-9999.");
        }

        IsoUtcTime.Write(d, epochMs);
        return Length;
    }
}
