using Grpc.Core;
using ListeningTogether.Transports.PubSub.V1;
using Microsoft.Extensions.Logging;

namespace ListeningTogether.Transports.PubSub;

/// <summary>
/// One StreamingPull stream of a session: opens it, hands each response to the session as a batch, pauses
/// reading while flow control is full, keeps the stream alive, and reconnects with backoff when the service
/// ends it or a transient error breaks it. A permanent error (say the subscription does not exist) ends the session.
/// </summary>
/// <remarks>
/// A stream lives <see cref="SubscriberSettings.StreamLifetime"/>: then it ends its requests, reads what the service
/// still sends until the service closes it, and another one is opened. Its call carries a deadline a little later,
/// because the emulator goes on handing messages to the stream of a reader that stopped or crashed, which nobody
/// reads, until that stream's deadline passes; without one, such messages came back only after minutes, an ack
/// deadline at a time. The official clients also give StreamingPull a deadline (30 minutes).
/// </remarks>
internal sealed class StreamingPullStream(
    SubscriberSession session,
    Subscriber.SubscriberClient client,
    int index,
    string clientId,
    TimeProvider clock,
    ILogger logger)
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    /// <summary>How long the service has to close a stream that ended its requests, before its deadline does.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(30);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var backoff = new Backoff(InitialBackoff, MaxBackoff, clock);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PullAsync(backoff, stoppingToken).ConfigureAwait(false);
                // The service closed the stream cleanly (it does so now and then): open another one.
                await backoff.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (!stoppingToken.IsCancellationRequested && TransientStatus.IsTransientForStream(e.StatusCode))
            {
                session.Health.Failed(index, $"Pub/Sub subscription '{session.Subscription}': {e.StatusCode} ({e.Status.Detail})");
                TimeSpan delay = backoff.Next();
                PubSubLog.StreamRetry(logger, index, session.Subscription, e.StatusCode, e.Status.Detail, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, clock, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task PullAsync(Backoff backoff, CancellationToken stoppingToken)
    {
        SubscriberSettings settings = session.Settings;
        DateTime deadline = clock.GetUtcNow().UtcDateTime + settings.StreamLifetime + CloseGrace;
        using AsyncDuplexStreamingCall<StreamingPullRequest, StreamingPullResponse> call = client.StreamingPull(deadline: deadline, cancellationToken: stoppingToken);
        await call.RequestStream.WriteAsync(new StreamingPullRequest
        {
            Subscription = session.Subscription,
            StreamAckDeadlineSeconds = settings.AckDeadlineSeconds,
            ClientId = clientId,
            MaxOutstandingMessages = Math.Max(1, settings.MaxOutstandingMessages / settings.Streams),
            MaxOutstandingBytes = Math.Max(1, settings.MaxOutstandingBytes / settings.Streams),
        }, stoppingToken).ConfigureAwait(false);
        session.Health.Opened(index);

        using var streamDone = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task<bool> requests = KeepAliveThenEndAsync(call.RequestStream, settings.StreamLifetime, streamDone.Token);
        bool ended;
        try
        {
            while (await call.ResponseStream.MoveNext(stoppingToken).ConfigureAwait(false))
            {
                backoff.Reset();
                session.Health.Received(index);
                await session.DeliverAsync(call.ResponseStream.Current, stoppingToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await streamDone.CancelAsync().ConfigureAwait(false);
            ended = await requests.ConfigureAwait(false);
        }

        if (ended)
        {
            // Closed because its lifetime was over, not by the service: the next one opens after the shortest wait.
            backoff.Reset();
        }
    }

    /// <summary>
    /// Pub/Sub closes streams that send nothing for a while: an empty request now and then keeps this one open,
    /// until its lifetime is over and its requests end. Returns whether they ended.
    /// </summary>
    private async Task<bool> KeepAliveThenEndAsync(IClientStreamWriter<StreamingPullRequest> requests, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        long opened = clock.GetTimestamp();
        try
        {
            while (true)
            {
                TimeSpan left = lifetime - clock.GetElapsedTime(opened);
                if (left <= TimeSpan.Zero)
                {
                    await requests.CompleteAsync().ConfigureAwait(false);
                    return true;
                }

                await Task.Delay(left < KeepAlive ? left : KeepAlive, clock, cancellationToken).ConfigureAwait(false);
                if (clock.GetElapsedTime(opened) < lifetime)
                {
                    await requests.WriteAsync(new StreamingPullRequest(), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The stream ended.
        }
        catch (RpcException)
        {
            // The stream broke; the reader sees why.
        }
        catch (InvalidOperationException)
        {
            // The call already completed.
        }

        return false;
    }
}
