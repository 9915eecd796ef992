using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;

namespace ListeningTogether.Pipeline.Tests.Properties;

/// <summary>
/// <see cref="CoPlayRule"/> over plays of many windows and tracks, as replay must give it: every (window, track)
/// group's co-play, sorted by window then the track id's UTF-8 bytes, with the counts a summary takes.
/// </summary>
/// <param name="DistinctPlays">Distinct plays by (window, track, event id).</param>
/// <param name="Windows">Distinct windows holding a play.</param>
public sealed record RuleResults(IReadOnlyList<CoPlay> CoPlays, long DistinctPlays, long Windows)
{
    public static RuleResults Of(IEnumerable<PlayCopy> plays, int windowMs, MatchingOptions options)
    {
        var groups = plays.GroupBy(p => (WindowStart: FloorToWindow(p.PlayedAtMs, windowMs), p.TrackId)).ToList();
        List<CoPlay> coPlays =
        [
            .. groups
                .Select(g => CoPlayRule.Match(g.Key.WindowStart, g.Key.TrackId, g.Select(p => p.Eligible), options))
                .OfType<CoPlay>()
                .OrderBy(c => c.WindowStartMs)
                .ThenBy(c => Encoding.UTF8.GetBytes(c.TrackId), Utf8BytesComparer.Instance),
        ];
        long distinctPlays = groups.Sum(g => (long)CoPlayRule.DistinctPlays(g.Select(p => p.Eligible)).Count);
        return new RuleResults(coPlays, distinctPlays, groups.Select(g => g.Key.WindowStart).Distinct().LongCount());
    }

    /// <summary>windowStart = floor(playedAtMs / windowMs) * windowMs, also before the epoch.</summary>
    public static long FloorToWindow(long playedAtMs, int windowMs) => playedAtMs - ((playedAtMs % windowMs) + windowMs) % windowMs;

    private sealed class Utf8BytesComparer : IComparer<byte[]>
    {
        public static Utf8BytesComparer Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
