using System.Globalization;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Replay.Range;

namespace ListeningTogether.Host.Cli;

/// <summary><c>--from</c> and <c>--to</c>: ISO 8601 times (UTC unless they carry an offset) bounding a replay's event time, half-open.</summary>
internal static class EventTimeArguments
{
    public static EventTimeRange Parse(string? from, string? to)
    {
        DateTimeOffset? start = ParseTime("--from", from);
        DateTimeOffset? end = ParseTime("--to", to);
        if (start is { } s && end is { } e && s >= e)
        {
            throw new SettingsException($"--from {from} must be before --to {to}: the range [from, to) would be empty.");
        }

        return new EventTimeRange(start, end);
    }

    private static DateTimeOffset? ParseTime(string name, string? text)
    {
        if (text is null)
        {
            return null;
        }

        // ISO 8601 only: a date, or a date and time with T, optionally with seconds, a fraction and Z or an offset.
        bool iso = text.Length >= 10 && text[4] == '-' && text[7] == '-' && (text.Length == 10 || text[10] is 'T' or 't');
        if (!iso || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset time))
        {
            throw new SettingsException($"{name} '{text}' is not an ISO 8601 time (say 2026-11-26T09:00:00Z; without an offset it is UTC).");
        }

        return time;
    }
}
