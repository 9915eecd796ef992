namespace ListeningTogether.Transports.PubSub;

/// <summary>A Pub/Sub failure that retrying cannot fix (a missing topic or subscription, no permission, a bad request), naming the resource.</summary>
public sealed class PubSubException : Exception
{
    public PubSubException()
    {
    }

    public PubSubException(string message)
        : base(message)
    {
    }

    public PubSubException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
