using ListeningTogether.Abstractions;
using ListeningTogether.Transports.InMemory;

namespace ListeningTogether.Transports.Tests.Conformance;

/// <summary>The conformance suite on the in-process channel (one reader; nothing comes back once the process is gone).</summary>
public sealed class InMemoryConformanceTests : TransportConformanceTests
{
    protected override Task<TransportUnderTest> CreateTransportAsync() =>
        Task.FromResult<TransportUnderTest>(new InMemoryUnderTest(new InMemoryTransport(new InMemoryTransportOptions(), TimeProvider.System)));

    private sealed class InMemoryUnderTest(InMemoryTransport transport) : TransportUnderTest
    {
        public override IPlayPublisher Publisher => transport;

        public override bool RedeliversUnacknowledged => false;

        public override IPlaySource OpenSource() => transport;
    }
}
