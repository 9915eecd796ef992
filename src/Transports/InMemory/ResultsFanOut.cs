using ListeningTogether.Abstractions;

namespace ListeningTogether.Transports.InMemory;

/// <summary>
/// Results for every site replica: a channel per replica name, and each result published to every channel opened
/// so far (a replica gets what was published after it opened its channel, as with a subscription of its own).
/// </summary>
internal sealed class ResultsFanOut(InMemoryTransport first, Func<InMemoryTransport>? newChannel) : IKeyedPublisher
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, InMemoryTransport> _byReplica = new(StringComparer.Ordinal);
    private InMemoryTransport[] _channels = [first];

    /// <summary>The channel of <paramref name="replicaName"/>: the first replica's is the one given, later ones are made.</summary>
    public InMemoryTransport ChannelOf(string replicaName)
    {
        lock (_lock)
        {
            if (_byReplica.TryGetValue(replicaName, out InMemoryTransport? channel))
            {
                return channel;
            }

            channel = _byReplica.Count == 0 ? first
                : newChannel?.Invoke() ?? throw new InvalidOperationException($"Results already have a reader ({_byReplica.Keys.First()}); this in-process topology has one site replica.");
            _byReplica.Add(replicaName, channel);
            if (channel != first)
            {
                _channels = [.. _channels, channel];
            }

            return channel;
        }
    }

    public async ValueTask PublishAsync(string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        foreach (InMemoryTransport channel in Volatile.Read(ref _channels))
        {
            await channel.PublishAsync(payload, cancellationToken).ConfigureAwait(false);
        }
    }
}
