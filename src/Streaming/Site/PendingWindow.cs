using ListeningTogether.Abstractions;

namespace ListeningTogether.Streaming.Site;

/// <summary>A window a site has heard of and not shown: its co-plays (one per track), how many each shard sent, their messages.</summary>
internal sealed class PendingWindow<TAck>(long startMs, long firstHeard)
{
    private readonly Dictionary<string, CoPlay> _byTrack = new(StringComparer.Ordinal);
    private readonly Dictionary<int, int> _receivedByShard = [];

    public long StartMs { get; } = startMs;

    /// <summary>When the site first heard of it (a co-play or an announced count), as a <see cref="TimeProvider"/> timestamp.</summary>
    public long FirstHeard { get; } = firstHeard;

    public List<TAck> Acks { get; } = [];

    public IReadOnlyCollection<CoPlay> CoPlays => _byTrack.Values;

    public int ReceivedFrom(int shard) => _receivedByShard.GetValueOrDefault(shard);

    /// <summary>Adds a co-play; false when the window already has one of its track (a redelivery).</summary>
    public bool Add(CoPlay coPlay, int shard)
    {
        if (!_byTrack.TryAdd(coPlay.TrackId, coPlay))
        {
            return false;
        }

        _receivedByShard[shard] = ReceivedFrom(shard) + 1;
        return true;
    }
}
