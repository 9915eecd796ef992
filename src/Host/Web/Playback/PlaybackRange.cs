using System.Globalization;
using System.Text.RegularExpressions;

namespace ListeningTogether.Host.Web.Playback;

/// <summary>A requested range [from, to) floored to whole seconds, at most <see cref="MaxSpanMs"/> long, from ISO 8601 UTC times.</summary>
internal readonly partial record struct PlaybackRange(long FromMs, long ToMs)
{
    public const long MaxSpanMs = 3_600_000;

    /// <summary>The range of <paramref name="from"/> and <paramref name="to"/>, or the reason it is refused.</summary>
    public static bool TryParse(string? from, string? to, out PlaybackRange range, out string reason)
    {
        range = default;
        if (string.IsNullOrEmpty(from) || string.IsNullOrEmpty(to))
        {
            reason = "Both 'from' and 'to' are required, as ISO 8601 UTC times (e.g. 2026-11-26T14:05:00Z).";
            return false;
        }

        if (Parse(from) is not long fromMs)
        {
            reason = "'from' is not an ISO 8601 time (e.g. 2026-11-26T14:05:00Z).";
            return false;
        }

        if (Parse(to) is not long toMs)
        {
            reason = "'to' is not an ISO 8601 time (e.g. 2026-11-26T15:05:00Z).";
            return false;
        }

        if (toMs <= fromMs)
        {
            reason = "'to' must be after 'from' (whole seconds).";
            return false;
        }

        if (toMs - fromMs > MaxSpanMs)
        {
            reason = "The range is longer than one hour; ask for at most an hour at a time.";
            return false;
        }

        range = new PlaybackRange(fromMs, toMs);
        reason = "";
        return true;
    }

    /// <summary>Epoch ms floored to the second; null for anything but a date and time with an optional fraction and offset.</summary>
    private static long? Parse(string text)
    {
        if (text.Length > 40 || !IsoTime().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset time))
        {
            return null;
        }

        long ms = time.ToUnixTimeMilliseconds();
        return ms - (((ms % 1000) + 1000) % 1000);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$", RegexOptions.CultureInvariant, 100)]
    private static partial Regex IsoTime();
}
