using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Transports.InMemory;

/// <summary>
/// An in-process transport over a bounded channel: publishers wait when it is full (nothing is dropped), one
/// pipeline reads. A payload is copied on publish; a message and its payload are valid until it is acknowledged,
/// then reused. Counts published and acknowledged messages so tests and health checks can see progress.
/// </summary>
public sealed class InMemoryTransport : IPlaySource, IPlayPublisher
{
    private readonly Channel<InMemoryMessage> _channel;
    private readonly TimeProvider _clock;
    private readonly InMemoryMessagePool _spare;
    private long _published;
    private long _acked;

    public InMemoryTransport(InMemoryTransportOptions options, TimeProvider clock)
    {
        _clock = clock;
        _spare = new InMemoryMessagePool(maxPooled: options.Capacity + 250_000);
        _channel = Channel.CreateBounded<InMemoryMessage>(new BoundedChannelOptions(options.Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    public long Published => Interlocked.Read(ref _published);

    public long Acked => Interlocked.Read(ref _acked);

    public async ValueTask PublishAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (!_spare.TryTake(out InMemoryMessage? message))
        {
            message = new InMemoryMessage(this);
        }

        message!.Fill(payload.Span, _clock.GetUtcNow());
        try
        {
            await _channel.Writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _spare.Return(message);
            throw;
        }

        Interlocked.Increment(ref _published);
    }

    /// <summary>Ends the stream: the reader finishes after the messages already published.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    public async IAsyncEnumerable<IReceivedMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (InMemoryMessage message in _channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return message;
        }
    }

    /// <summary>Takes a message if one is waiting, without blocking.</summary>
    public bool TryRead(out IReceivedMessage? message)
    {
        bool read = _channel.Reader.TryRead(out InMemoryMessage? m);
        message = m;
        return read;
    }

    internal void OnAcked(InMemoryMessage message)
    {
        _spare.Return(message);
        Interlocked.Increment(ref _acked);
    }
}
