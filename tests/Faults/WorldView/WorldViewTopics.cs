using System.Globalization;
using ListeningTogether.Faults.Tests.Stop;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Faults.Tests.WorldView;

/// <summary>
/// The topics of a split deployment with <see cref="ShardCount"/> match shards (DESIGN.md "Scale-out"): plays, the
/// repartition shard topics <c>NAME-shard-K</c> and the results topic, and the arguments that point each stage at
/// them. Beside the stages, the test reads the results topic on a subscription of its own (<see cref="Observer"/>).
/// </summary>
public sealed class WorldViewTopics(SharedEmulator emulator, int shardCount)
{
    public int ShardCount { get; } = shardCount;

    public string Plays { get; } = emulator.UniqueName("plays");

    public string PlaysSubscription { get; } = emulator.UniqueName("ingest");

    public string Repartition { get; } = emulator.UniqueName("by-track");

    public string Results { get; } = emulator.UniqueName("coplays");

    /// <summary>What the site replicas are given as <c>Transport:PubSub:ResultsSubscription</c>: each one's subscription is named from it.</summary>
    public string ResultsSubscription { get; } = emulator.UniqueName("site");

    /// <summary>The test's own subscription on the results topic, to see the shards' watermarks.</summary>
    public string Observer { get; } = emulator.UniqueName("observer");

    /// <summary>Shard topic K, and its subscription of the same name.</summary>
    public string Shard(int index) => $"{Repartition}-shard-{index.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Creates the plays and shard subscriptions and the test's results subscription before any stage runs, so
    /// nothing is published to a topic nobody subscribes to yet. The site replicas create their own.
    /// </summary>
    internal async Task CreateAsync(PubSubConnection connection)
    {
        await connection.EnsureSubscriptionAsync(PlaysSubscription, Plays, CancellationToken.None);
        for (int shard = 0; shard < ShardCount; shard++)
        {
            await connection.EnsureSubscriptionAsync(Shard(shard), Shard(shard), CancellationToken.None);
        }

        await connection.EnsureSubscriptionAsync(Observer, Results, CancellationToken.None);
    }

    /// <summary>The <c>--Transport:PubSub:…</c> arguments of every stage, with the short ack deadline of the fault tests.</summary>
    public IReadOnlyList<string> Arguments() =>
    [
        .. emulator.Emulator.Arguments(Plays, PlaysSubscription),
        $"--Transport:PubSub:RepartitionTopic={Repartition}",
        $"--Transport:PubSub:ShardCount={ShardCount.ToString(CultureInfo.InvariantCulture)}",
        $"--Transport:PubSub:ResultsTopic={Results}",
        $"--Transport:PubSub:ResultsSubscription={ResultsSubscription}",
        $"--Transport:PubSub:AckDeadlineSeconds={StageSettings.AckDeadlineSeconds.ToString(CultureInfo.InvariantCulture)}",
    ];

    /// <summary>The arguments of match shard K: every stage's, and the shard it owns.</summary>
    public IReadOnlyList<string> MatchArguments(int shard) =>
        [.. Arguments(), $"--Transport:PubSub:ShardIndex={shard.ToString(CultureInfo.InvariantCulture)}"];
}
