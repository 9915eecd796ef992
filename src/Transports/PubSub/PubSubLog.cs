using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace ListeningTogether.Transports.PubSub;

/// <summary>The Pub/Sub adapter's log lines: resource names and status codes, never payloads.</summary>
internal static partial class PubSubLog
{
    [LoggerMessage(101, LogLevel.Information, "Pub/Sub subscriber on {Subscription}: {Streams} StreamingPull streams, at most {MaxMessages} messages / {MaxBytes} bytes outstanding, ack deadline {AckDeadlineSeconds} s")]
    public static partial void SubscriberStarted(ILogger logger, string subscription, int streams, int maxMessages, long maxBytes, int ackDeadlineSeconds);

    [LoggerMessage(102, LogLevel.Warning, "StreamingPull stream {Stream} on {Subscription} ended ({Status}: {Detail}); reconnecting in {DelayMs} ms")]
    public static partial void StreamRetry(ILogger logger, int stream, string subscription, StatusCode status, string detail, long delayMs);

    [LoggerMessage(103, LogLevel.Warning, "Pub/Sub call {Call} failed ({Status}: {Detail}); retrying in {DelayMs} ms")]
    public static partial void CallRetry(ILogger logger, string call, StatusCode status, string detail, long delayMs);

    [LoggerMessage(104, LogLevel.Error, "Pub/Sub call {Call} failed for good ({Status}: {Detail})")]
    public static partial void CallFailed(ILogger logger, string call, StatusCode status, string detail);

    [LoggerMessage(105, LogLevel.Information, "Created missing Pub/Sub {Kind} {Name}")]
    public static partial void Created(ILogger logger, string kind, string name);

    [LoggerMessage(106, LogLevel.Information, "Pub/Sub at {Endpoint} ({Authentication})")]
    public static partial void Connected(ILogger logger, string endpoint, string authentication);

    [LoggerMessage(107, LogLevel.Information, "Pub/Sub subscriber on {Subscription} stopped: {Count} unacknowledged messages handed back for redelivery")]
    public static partial void Released(ILogger logger, string subscription, long count);

    public static void Retry(ILogger logger, string call, RpcException e, TimeSpan delay) =>
        CallRetry(logger, call, e.StatusCode, e.Status.Detail, (long)delay.TotalMilliseconds);
}
