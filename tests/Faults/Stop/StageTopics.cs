using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Faults.Tests.Stop;

/// <summary>
/// The topics and subscriptions of one test's pipeline (DESIGN.md "Scale-out" with one shard): plays, the repartition
/// shard topic and the results topic, each with the subscription its reader uses, and the arguments that point every
/// stage at them.
/// </summary>
public sealed class StageTopics(SharedEmulator emulator)
{
    public string Plays { get; } = emulator.UniqueName("plays");

    public string PlaysSubscription { get; } = emulator.UniqueName("ingest");

    public string Repartition { get; } = emulator.UniqueName("by-track");

    /// <summary>The one shard topic, and its subscription of the same name.</summary>
    public string Shard => Repartition + "-shard-0";

    public string Results { get; } = emulator.UniqueName("coplays");

    public string ResultsSubscription { get; } = emulator.UniqueName("site");

    /// <summary>
    /// Creates every topic and subscription before any stage runs, so nothing is published to a topic nobody
    /// subscribes to yet (the stages' publishers create only their topics).
    /// </summary>
    internal async Task CreateAsync(PubSubConnection connection)
    {
        await connection.EnsureSubscriptionAsync(PlaysSubscription, Plays, CancellationToken.None);
        await connection.EnsureSubscriptionAsync(Shard, Shard, CancellationToken.None);
        await connection.EnsureSubscriptionAsync(ResultsSubscription, Results, CancellationToken.None);
    }

    /// <summary>The <c>--Transport:PubSub:…</c> arguments of every stage, with the short ack deadline of the fault tests.</summary>
    public IReadOnlyList<string> Arguments() =>
    [
        .. emulator.Emulator.Arguments(Plays, PlaysSubscription),
        $"--Transport:PubSub:RepartitionTopic={Repartition}",
        "--Transport:PubSub:ShardCount=1",
        "--Transport:PubSub:ShardIndex=0",
        $"--Transport:PubSub:ResultsTopic={Results}",
        $"--Transport:PubSub:ResultsSubscription={ResultsSubscription}",
        $"--Transport:PubSub:AckDeadlineSeconds={StageSettings.AckDeadlineSeconds}",
    ];
}
