using ListeningTogether.Abstractions;

namespace ListeningTogether.Transports.InMemory;

internal sealed class InMemoryMessage(ReadOnlyMemory<byte> payload, DateTimeOffset receivedAt, InMemoryTransport transport) : IReceivedMessage
{
    private int _acked;

    public ReadOnlyMemory<byte> Payload { get; } = payload;

    public string Source => "inmemory";

    public DateTimeOffset ReceivedAt { get; } = receivedAt;

    public ValueTask AckAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _acked, 1) == 0)
        {
            transport.OnAcked();
        }

        return ValueTask.CompletedTask;
    }
}
