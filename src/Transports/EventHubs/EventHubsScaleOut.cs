using ListeningTogether.Abstractions;

namespace ListeningTogether.Transports.EventHubs;

/// <summary>
/// The scale-out topology on Event Hubs (DESIGN.md "Scale-out"): raw plays on <c>EventHubName</c>; one
/// repartition hub (<c>RepartitionEventHubName</c>) with the track id as partition key, whose partitions the match
/// replicas share through the processor's load balancing; co-plays and watermarks on <c>ResultsEventHubName</c>,
/// which every site replica reads whole (DESIGN.md "One world view"). A match replica speaks for the repartition
/// partitions it owns.
/// </summary>
internal sealed class EventHubsScaleOut(
    EventHubsTransportOptions options,
    Func<IPlaySource> plays,
    Func<EventHubsTransportOptions, EventHubsPlaySource> sourceOn,
    Func<EventHubsTransportOptions, EventHubsPlayPublisher> publisherTo,
    Func<EventHubsTransportOptions, string, IPlaySource> allPartitionsOf) : IScaleOutTransport
{
    public IPlaySource OpenPlays() => plays();

    public IKeyedPublisher OpenRepartitionPublisher() => new KeyedPublisher(publisherTo(Hub(options.RepartitionEventHubName, nameof(options.RepartitionEventHubName))));

    private readonly OwnedPartitions _owned = new();

    public IPlaySource OpenRepartitionedPlays()
    {
        EventHubsPlaySource source = sourceOn(Hub(options.RepartitionEventHubName, nameof(options.RepartitionEventHubName)));
        _owned.Follow(source.Processor);
        return source;
    }

    public IMatchShards MatchShards() => _owned;

    public IKeyedPublisher OpenResultsPublisher() => new KeyedPublisher(publisherTo(Hub(options.ResultsEventHubName, nameof(options.ResultsEventHubName))));

    public IPlaySource OpenResults(string replicaName) => allPartitionsOf(Hub(options.ResultsEventHubName, nameof(options.ResultsEventHubName)), replicaName);

    private EventHubsTransportOptions Hub(string? name, string setting) =>
        string.IsNullOrWhiteSpace(name)
            ? throw new InvalidOperationException($"Invalid setting Transport:EventHubs:{setting}: a split stage needs it.")
            : options.ForHub(name);

    /// <summary>Every event of one track goes to one partition of the hub, so one match replica sees all of it.</summary>
    private sealed class KeyedPublisher(EventHubsPlayPublisher publisher) : IKeyedPublisher, IAsyncDisposable
    {
        public ValueTask DisposeAsync() => publisher.DisposeAsync();

        public ValueTask PublishAsync(string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
            publisher.PublishAsync(payload, key, cancellationToken);

        public ValueTask FlushAsync(CancellationToken cancellationToken) => new(publisher.FlushAsync(cancellationToken));
    }
}
