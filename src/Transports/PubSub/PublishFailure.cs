namespace ListeningTogether.Transports.PubSub;

/// <summary>The first permanent failure of any lane of a publisher: once set, every later publish or flush throws it.</summary>
internal sealed class PublishFailure(string topic)
{
    private Exception? _failure;

    public bool IsSet => Volatile.Read(ref _failure) is not null;

    public void Set(Exception failure) => Interlocked.CompareExchange(ref _failure, failure, null);

    public void ThrowIfSet()
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            string cause = failure is Grpc.Core.RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : failure.Message;
            throw new PubSubException($"Publishing to {topic} failed: {cause}", failure);
        }
    }
}
