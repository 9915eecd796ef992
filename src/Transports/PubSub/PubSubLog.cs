using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace ListeningTogether.Transports.PubSub;

/// <summary>The Pub/Sub adapter's log lines: resource names and status codes, never payloads.</summary>
internal static partial class PubSubLog
{
    [LoggerMessage(101, LogLevel.Information, "Pub/Sub subscriber on {Subscription}: {Streams} StreamingPull streams, at most {MaxMessages} messages / {MaxBytes} bytes outstanding, ack deadline {AckDeadlineSeconds} s")]
    public static partial void SubscriberStarted(ILogger logger, string subscription, int streams, int maxMessages, long maxBytes, int ackDeadlineSeconds);

    /// <summary>Of a streak of failures, the first and every <see cref="WarnEvery"/>th are warnings; the rest are debug lines, so an outage is told without a flood.</summary>
    public const int WarnEvery = 30;

    [LoggerMessage(102, LogLevel.Warning, "StreamingPull stream {Stream} on {Subscription} ended ({Status}: {Detail}); reconnecting in {DelayMs} ms")]
    private static partial void StreamRetryWarning(ILogger logger, int stream, string subscription, StatusCode status, string detail, long delayMs);

    [LoggerMessage(110, LogLevel.Debug, "StreamingPull stream {Stream} on {Subscription} ended again ({Status}: {Detail}); reconnecting in {DelayMs} ms")]
    private static partial void StreamRetryAgain(ILogger logger, int stream, string subscription, StatusCode status, string detail, long delayMs);

    [LoggerMessage(103, LogLevel.Warning, "Pub/Sub call {Call} failed ({Status}: {Detail}); retrying in {DelayMs} ms")]
    private static partial void CallRetryWarning(ILogger logger, string call, StatusCode status, string detail, long delayMs);

    [LoggerMessage(111, LogLevel.Debug, "Pub/Sub call {Call} failed again ({Status}: {Detail}), {Failures} times in a row; retrying in {DelayMs} ms")]
    private static partial void CallRetryAgain(ILogger logger, string call, StatusCode status, string detail, int failures, long delayMs);

    [LoggerMessage(104, LogLevel.Error, "Pub/Sub call {Call} failed for good ({Status}: {Detail})")]
    public static partial void CallFailed(ILogger logger, string call, StatusCode status, string detail);

    [LoggerMessage(105, LogLevel.Information, "Created missing Pub/Sub {Kind} {Name}")]
    public static partial void Created(ILogger logger, string kind, string name);

    [LoggerMessage(106, LogLevel.Information, "Pub/Sub at {Endpoint} ({Authentication})")]
    public static partial void Connected(ILogger logger, string endpoint, string authentication);

    [LoggerMessage(112, LogLevel.Information, "Pub/Sub subscriber on {Subscription} stopped: {Count} unacknowledged messages handed back for redelivery")]
    public static partial void Released(ILogger logger, string subscription, long count);

    [LoggerMessage(107, LogLevel.Warning, "Pub/Sub subscription {Subscription} is gone ({Detail}); creating it again. Messages held from it went with it: they are still handled, but not acknowledged")]
    public static partial void SubscriptionLost(ILogger logger, string subscription, string detail);

    [LoggerMessage(108, LogLevel.Warning, "Pub/Sub call {Call} on {Subscription} found it gone ({Detail}); dropped for {Count} messages, which went with it")]
    public static partial void SubscriptionGone(ILogger logger, string call, string subscription, string detail, int count);

    [LoggerMessage(109, LogLevel.Warning, "Pub/Sub topic {Topic} is gone ({Detail}); creating it again before sending on")]
    public static partial void TopicLost(ILogger logger, string topic, string detail);

    [LoggerMessage(115, LogLevel.Warning, "Pub/Sub topic {Topic} vanished while subscription {Subscription} was created on it (attempt {Attempt}); creating both again")]
    public static partial void TopicVanished(ILogger logger, string topic, string subscription, int attempt);

    [LoggerMessage(113, LogLevel.Information, "Deleted Pub/Sub subscription {Name}")]
    public static partial void Deleted(ILogger logger, string name);

    [LoggerMessage(114, LogLevel.Warning, "Pub/Sub subscription {Subscription} was not deleted at stop ({Cause}); it expires by itself after a day unread")]
    public static partial void DeleteFailed(ILogger logger, string subscription, string cause);

    /// <param name="failures">The failures of this call in a row, this one included.</param>
    public static void Retry(ILogger logger, string call, RpcException e, TimeSpan delay, int failures)
    {
        if (IsWarning(failures))
        {
            CallRetryWarning(logger, call, e.StatusCode, e.Status.Detail, (long)delay.TotalMilliseconds);
        }
        else
        {
            CallRetryAgain(logger, call, e.StatusCode, e.Status.Detail, failures, (long)delay.TotalMilliseconds);
        }
    }

    /// <param name="failures">The stream's failures in a row, this one included.</param>
    public static void StreamRetry(ILogger logger, int stream, string subscription, RpcException e, TimeSpan delay, int failures)
    {
        if (IsWarning(failures))
        {
            StreamRetryWarning(logger, stream, subscription, e.StatusCode, e.Status.Detail, (long)delay.TotalMilliseconds);
        }
        else
        {
            StreamRetryAgain(logger, stream, subscription, e.StatusCode, e.Status.Detail, (long)delay.TotalMilliseconds);
        }
    }

    private static bool IsWarning(int failures) => failures <= 1 || failures % WarnEvery == 0;
}
