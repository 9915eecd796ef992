using System.Globalization;
using System.Text;
using ListeningTogether.Transports.Tests.EventHubs;

namespace ListeningTogether.Faults.Tests.Checkpoints;

/// <summary>
/// Live plays into a <see cref="TestEventHub"/>, event time keeping pace with the clock: every tenth of a second
/// each of eight tracks is played in London, Linköping or Milton in turn (so every track has a co-play in every
/// one-second window), each track on the partition its id keys, as the repartition hub holds them; now and then a
/// play comes twice (a redelivered duplicate) and a private session play (ineligible) comes between them.
/// Remembers what each event of each partition is, so a checkpoint can be checked against emitted windows.
/// </summary>
internal sealed class PlayFeed
{
    public const int Tracks = 8;
    private const int TickMs = 100;
    private const int WindowMs = 1000;
    private static readonly string[] Ips = ["81.2.69.142", "89.160.20.112", "216.160.83.56"];

    private readonly TestEventHub _hub;
    private readonly long _startMs;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<FedPlay>> _partitions;
    private readonly List<byte[]> _all = [];
    private long _ticks;
    private int _plays;

    public PlayFeed(TestEventHub hub, DateTimeOffset start)
    {
        _hub = hub;
        _startMs = start.ToUnixTimeMilliseconds() / WindowMs * WindowMs;
        _partitions = hub.PartitionIds.ToDictionary(p => p, _ => new List<FedPlay>(), StringComparer.Ordinal);
    }

    /// <summary>Every payload appended so far, in the order appended (which is event-time order).</summary>
    public IReadOnlyList<byte[]> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _all];
            }
        }
    }

    /// <summary>The one-second windows fed so far; every track has a co-play in each once the feed has finished.</summary>
    public long Windows => Interlocked.Read(ref _ticks) * TickMs / WindowMs;

    /// <summary>Appends a tick's plays each tenth of a second until <paramref name="stop"/>, then finishes the window under way.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(TickMs));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                AppendTick();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            while (Interlocked.Read(ref _ticks) % (WindowMs / TickMs) != 0)
            {
                AppendTick();
            }
        }
    }

    /// <summary>What the event with <paramref name="sequenceNumber"/> of <paramref name="partitionId"/> is.</summary>
    public FedPlay At(string partitionId, long sequenceNumber)
    {
        lock (_gate)
        {
            return _partitions[partitionId][(int)sequenceNumber];
        }
    }

    /// <summary>The sequence number of the last event of <paramref name="partitionId"/>, or -1 before the first.</summary>
    public long LastSequenceNumber(string partitionId)
    {
        lock (_gate)
        {
            return _partitions[partitionId].Count - 1;
        }
    }

    private void AppendTick()
    {
        long tick = Interlocked.Increment(ref _ticks) - 1;
        long tickMs = _startMs + (tick * TickMs);
        for (int track = 0; track < Tracks; track++)
        {
            int n = Interlocked.Increment(ref _plays);
            string trackId = string.Create(CultureInfo.InvariantCulture, $"spotify:track:t{track}");
            string partition = _hub.PartitionIds[track % _hub.PartitionIds.Length];
            byte[] play = Play($"e-{n}", trackId, Ips[(tick + track) % Ips.Length], tickMs + track, "");
            Append(partition, play, new FedPlay(tickMs / WindowMs * WindowMs, trackId, Eligible: true));
            if (n % 7 == 0)
            {
                Append(partition, play, new FedPlay(tickMs / WindowMs * WindowMs, trackId, Eligible: true));
            }

            if (n % 11 == 0)
            {
                Append(partition, Play($"p-{n}", trackId, Ips[0], tickMs + track, ",\"privateSession\":true"), new FedPlay(tickMs / WindowMs * WindowMs, trackId, Eligible: false));
            }
        }
    }

    private void Append(string partition, byte[] payload, FedPlay play)
    {
        lock (_gate)
        {
            _hub[partition].Append(payload);
            _partitions[partition].Add(play);
            _all.Add(payload);
        }
    }

    private static byte[] Play(string eventId, string trackId, string ip, long playedAtMs, string extra) =>
        Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"eventId\":\"{eventId}\",\"trackId\":\"{trackId}\",\"ip\":\"{ip}\",\"playedAt\":{playedAtMs}{extra}}}"));
}

/// <summary>One event of the feed: the window and track an eligible play counts in.</summary>
internal sealed record FedPlay(long WindowStartMs, string TrackId, bool Eligible);
