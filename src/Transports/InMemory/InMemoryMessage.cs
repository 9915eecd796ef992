using ListeningTogether.Abstractions;

namespace ListeningTogether.Transports.InMemory;

/// <summary>
/// A message of the in-process transport. Messages and their payload buffers are reused once acknowledged (see
/// <see cref="InMemoryMessagePool"/>), so a message must not be touched after its acknowledgement.
/// </summary>
internal sealed class InMemoryMessage(InMemoryTransport transport) : IReceivedMessage
{
    /// <summary>Payloads up to this many bytes live in the message's own reusable buffer.</summary>
    public const int BufferSize = 512;

    private readonly byte[] _buffer = new byte[BufferSize];
    private int _acked;

    public ReadOnlyMemory<byte> Payload { get; private set; }

    public string Source => "inmemory";

    public DateTimeOffset ReceivedAt { get; private set; }

    public void Fill(ReadOnlySpan<byte> payload, DateTimeOffset receivedAt)
    {
        byte[] target = payload.Length <= BufferSize ? _buffer : new byte[payload.Length];
        payload.CopyTo(target);
        Payload = target.AsMemory(0, payload.Length);
        ReceivedAt = receivedAt;
        Volatile.Write(ref _acked, 0);
    }

    public ValueTask AckAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _acked, 1) == 0)
        {
            transport.OnAcked(this);
        }

        return ValueTask.CompletedTask;
    }
}
