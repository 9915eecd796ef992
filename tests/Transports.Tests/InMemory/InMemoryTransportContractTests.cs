using ListeningTogether.Abstractions;
using ListeningTogether.Transports.InMemory;
using ListeningTogether.Transports.Tests.Contract;
using Microsoft.Extensions.Time.Testing;

namespace ListeningTogether.Transports.Tests.InMemory;

/// <summary>The transport contract on the in-process channel.</summary>
public sealed class InMemoryTransportContractTests : PlayTransportContractTests
{
    protected override (IPlayPublisher Publisher, IPlaySource Source, Action Complete) CreateTransport()
    {
        var transport = new InMemoryTransport(new InMemoryTransportOptions { Capacity = 16 }, new FakeTimeProvider());
        return (transport, transport, transport.Complete);
    }
}
