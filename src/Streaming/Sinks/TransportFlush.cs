using ListeningTogether.Abstractions;

namespace ListeningTogether.Streaming.Sinks;

/// <summary>
/// Waits for a keyed publisher as for any streaming write (DESIGN.md "Failure, exit codes and readiness"). A transport
/// that retries its sends by itself (Pub/Sub) would hold a flush, or a publish into a full buffer, for as long as it is
/// unavailable, out of sight of the outage limit and readiness; so while it says its sends do not get through
/// (<see cref="IPublisherStatus"/>), the caller is told every <see cref="Poll"/>, and may end the wait by throwing.
/// What was published stays with the publisher, which sends it once the transport is back.
/// </summary>
public static class TransportFlush
{
    /// <summary>How often a wait that has not finished looks at the transport's status.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    /// <summary>Flushes <paramref name="publisher"/>, telling <paramref name="whileUnavailable"/> the transport's problem every <see cref="Poll"/> until it is done.</summary>
    public static ValueTask FlushAsync(IKeyedPublisher publisher, TimeProvider clock, Action<string> whileUnavailable, CancellationToken cancellationToken)
    {
        ValueTask flush = publisher.FlushAsync(cancellationToken);
        return flush.IsCompleted ? flush : WaitAsync(publisher, flush.AsTask(), clock, whileUnavailable, cancellationToken);
    }

    /// <summary>For a write that the caller retries as a whole: a flush held by an unavailable transport fails with <see cref="TransportUnavailableException"/>.</summary>
    public static ValueTask FlushOrThrowAsync(IKeyedPublisher publisher, TimeProvider clock, CancellationToken cancellationToken) =>
        FlushAsync(publisher, clock, ThrowUnavailable, cancellationToken);

    /// <summary>Waits for <paramref name="sending"/>, publishes to <paramref name="publisher"/>; held by an unavailable transport, it fails with <see cref="TransportUnavailableException"/>.</summary>
    public static ValueTask WaitOrThrowAsync(IKeyedPublisher publisher, Task sending, TimeProvider clock, CancellationToken cancellationToken) =>
        sending.IsCompleted ? new ValueTask(sending) : WaitAsync(publisher, sending, clock, ThrowUnavailable, cancellationToken);

    private static async ValueTask WaitAsync(IKeyedPublisher publisher, Task sending, TimeProvider clock, Action<string> whileUnavailable, CancellationToken cancellationToken)
    {
        if (publisher is not IPublisherStatus status)
        {
            await sending.ConfigureAwait(false);
            return;
        }

        try
        {
            while (!sending.IsCompleted)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                await Task.WhenAny(sending, Task.Delay(Poll, clock, tick.Token)).ConfigureAwait(false);
                await tick.CancelAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (!sending.IsCompleted && status.Problem is { } problem)
                {
                    whileUnavailable(problem);
                }
            }
        }
        catch
        {
            // The sends go on without a waiter; a failure of theirs is the publisher's to report on its next call.
            _ = sending.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }

        await sending.ConfigureAwait(false);
    }

    private static void ThrowUnavailable(string problem) => throw new TransportUnavailableException(problem);
}
