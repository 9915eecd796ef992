using ListeningTogether.Abstractions;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Host.Web;

/// <summary>Co-plays per track over the last <c>Site:RecentSeconds</c> of event time, from every co-play (not only those shown): the "right now" panel.</summary>
internal sealed class RecentTrackCounts(IOptions<SiteOptions> options) : ICoPlaySink
{
    private readonly Lock _gate = new();
    private readonly Queue<(long WindowStartMs, string TrackId)> _items = new();
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    public ValueTask WriteAsync(IReadOnlyList<CoPlay> coPlays, CancellationToken cancellationToken)
    {
        if (coPlays.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        lock (_gate)
        {
            foreach (CoPlay coPlay in coPlays)
            {
                _items.Enqueue((coPlay.WindowStartMs, coPlay.TrackId));
                _counts[coPlay.TrackId] = _counts.GetValueOrDefault(coPlay.TrackId) + 1;
            }

            long horizon = coPlays[^1].WindowStartMs - (options.Value.RecentSeconds * 1000L);
            while (_items.Count > 0 && _items.Peek().WindowStartMs < horizon)
            {
                string trackId = _items.Dequeue().TrackId;
                if (--_counts[trackId] == 0)
                {
                    _counts.Remove(trackId);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The <paramref name="count"/> tracks with the most recent co-plays (ties by track id).</summary>
    public IReadOnlyList<(string TrackId, int CoPlays)> Top(int count)
    {
        lock (_gate)
        {
            return [.. _counts
                .OrderByDescending(kv => kv.Value)
                .ThenBy(kv => kv.Key, StringComparer.Ordinal)
                .Take(count)
                .Select(kv => (kv.Key, kv.Value))];
        }
    }
}
