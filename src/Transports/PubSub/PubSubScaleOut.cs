using System.Globalization;
using System.Text;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Transports.PubSub;

/// <summary>
/// The scale-out topology on Pub/Sub (DESIGN.md "Scale-out"): raw plays on <c>Topic</c>; repartitioned plays on
/// the shard topics <c>RepartitionTopic-shard-K</c>, K = FNV-1a 64 of the track id mod <c>ShardCount</c>, each
/// with one subscription of the same name (the emulator ignores subscription filters, so shards are topics); co-plays
/// and watermarks on <c>ResultsTopic</c>, which each site replica reads through a subscription of its own,
/// <c>ResultsSubscription-REPLICA</c> (DESIGN.md "One world view").
/// </summary>
internal sealed class PubSubScaleOut(PubSubConnection connection, PubSubTransportOptions options, Func<string, string?> environment) : IScaleOutTransport
{
    private const int MaxNameLength = 255;

    public IPlaySource OpenPlays() => connection.CreateSubscriber(options.Subscription, options.Topic);

    public IKeyedPublisher OpenRepartitionPublisher() =>
        new ShardedPublisher([.. Enumerable.Range(0, options.ShardCount).Select(k => connection.CreateRawPublisher(ShardName(k)))]);

    public IPlaySource OpenRepartitionedPlays()
    {
        int shard = Shard();
        return connection.CreateSubscriber(ShardName(shard), ShardName(shard));
    }

    public IKeyedPublisher OpenResultsPublisher() => new ShardedPublisher([connection.CreatePublisher(options.ResultsTopic)]);

    public IPlaySource OpenResults(string replicaName) => connection.CreateOwnSubscriber(ResultsSubscriptionOf(replicaName), options.ResultsTopic);

    /// <summary>The results subscription of the site replica <paramref name="replicaName"/>.</summary>
    public string ResultsSubscriptionOf(string replicaName)
    {
        string subscription = options.ResultsSubscription + "-" + replicaName;
        return subscription.Length <= MaxNameLength ? subscription
            : throw new InvalidOperationException(
                $"Invalid setting Transport:PubSub:ResultsSubscription: with the replica name it makes '{subscription}', longer than Pub/Sub's {MaxNameLength} characters.");
    }

    public IMatchShards MatchShards() => new MatchShard(Shard(), options.ShardCount);

    /// <summary>This replica's shard: the setting, else the StatefulSet ordinal that ends the host name, else 0.</summary>
    public int Shard()
    {
        int shard = options.ShardIndex ?? OrdinalOf(environment("HOSTNAME")) ?? 0;
        if (shard >= options.ShardCount)
        {
            throw new InvalidOperationException(
                $"Invalid setting Transport:PubSub:ShardIndex: shard {shard} (from {(options.ShardIndex is null ? "the host name" : "the setting")}) is not below ShardCount {options.ShardCount}.");
        }

        return shard;
    }

    private string ShardName(int shard) => string.Create(CultureInfo.InvariantCulture, $"{options.RepartitionTopic}-shard-{shard}");

    private static int? OrdinalOf(string? hostName)
    {
        int dash = hostName?.LastIndexOf('-') ?? -1;
        return dash >= 0 && int.TryParse(hostName.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int ordinal) ? ordinal : null;
    }

    /// <summary>
    /// Publishes each message to the shard of its key; not getting through while any shard's topic is not. Disposing
    /// it sends what its shards still buffer, so a stop leaves no send running on a closed connection.
    /// </summary>
    private sealed class ShardedPublisher(PubSubPublisher[] shards) : IKeyedPublisher, IPublisherStatus, IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (PubSubPublisher shard in shards)
            {
                await shard.DisposeAsync().ConfigureAwait(false);
            }
        }

        public string? Problem => shards.Select(s => s.Problem).FirstOrDefault(p => p is not null);

        public ValueTask PublishAsync(string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            int shard = shards.Length == 1 ? 0 : TrackShard.Of(Encoding.UTF8.GetBytes(key), shards.Length);
            return shards[shard].PublishAsync(payload, cancellationToken);
        }

        public async ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            foreach (PubSubPublisher shard in shards)
            {
                await shard.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
