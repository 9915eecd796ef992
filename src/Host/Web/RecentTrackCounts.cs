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
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var top = new List<(string TrackId, int CoPlays)>(count + 1);
        if (count == 0)
        {
            return top;
        }

        lock (_gate)
        {
            // One pass keeping the best few in order: sorting every track (tens of thousands) made a large array at
            // every broadcast.
            foreach ((string trackId, int coPlays) in _counts)
            {
                if (top.Count == count && !Ahead(trackId, coPlays, top[^1]))
                {
                    continue;
                }

                int at = top.Count;
                while (at > 0 && Ahead(trackId, coPlays, top[at - 1]))
                {
                    at--;
                }

                top.Insert(at, (trackId, coPlays));
                if (top.Count > count)
                {
                    top.RemoveAt(count);
                }
            }
        }

        return top;
    }

    private static bool Ahead(string trackId, int coPlays, (string TrackId, int CoPlays) other) =>
        coPlays > other.CoPlays || (coPlays == other.CoPlays && string.CompareOrdinal(trackId, other.TrackId) < 0);
}
