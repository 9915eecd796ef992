using ListeningTogether.Abstractions;
using ListeningTogether.Transports.PubSub;
using ListeningTogether.Transports.Tests.PubSub;

namespace ListeningTogether.Transports.Tests.Conformance;

/// <summary>The conformance suite on the real Pub/Sub emulator: a fresh topic and subscription per test, 10 s ack deadline.</summary>
[Collection(PubSubEmulatorCollection.Name)]
public sealed class PubSubConformanceTests(PubSubEmulatorFixture emulator) : TransportConformanceTests
{
    protected override async Task<TransportUnderTest> CreateTransportAsync()
    {
        PubSubTransportOptions options = emulator.Options(emulator.UniqueName("plays"), emulator.UniqueName("pipeline"));
        PubSubConnection connection = PubSubEmulatorFixture.Connect(options);
        // The subscription must exist before the first publish, or Pub/Sub keeps nothing for it.
        await connection.EnsureSubscriptionAsync(options.Subscription, options.Topic, CancellationToken.None);
        return new PubSubUnderTest(connection, options);
    }

    private sealed class PubSubUnderTest(PubSubConnection connection, PubSubTransportOptions options) : TransportUnderTest
    {
        private readonly PubSubPublisher _publisher = connection.CreatePublisher(options.Topic);

        public override IPlayPublisher Publisher => _publisher;

        public override bool RedeliversUnacknowledged => true;

        /// <summary>
        /// Held messages expire over several seconds (their leases were extended at different times) and the
        /// emulator hands them out again at its own pace: on a busy machine the last ones came more than 30 s after
        /// the first (66 of 2,811 arrived after such an idle flush, in CI), so a minute beyond twice the deadline.
        /// </summary>
        public override TimeSpan RedeliveryWithin => TimeSpan.FromSeconds(2 * options.AckDeadlineSeconds + 60);

        public override TimeSpan Patience => TimeSpan.FromSeconds(240);

        public override IPlaySource OpenSource() => connection.CreateSubscriber(options.Subscription, options.Topic);

        public override async ValueTask DisposeAsync()
        {
            await _publisher.DisposeAsync();
            connection.Dispose();
            await base.DisposeAsync();
        }
    }
}
