using Grpc.Core;
using ListeningTogether.Transports.PubSub.V1;
using Microsoft.Extensions.Logging;

namespace ListeningTogether.Transports.PubSub;

/// <summary>
/// One StreamingPull stream of a session: opens it, hands each response to the session as a batch, pauses
/// reading while flow control is full, keeps the stream alive, and reconnects with backoff when the service
/// ends it or a transient error breaks it. A subscription that is gone is created again with <c>CreateMissing</c>
/// (an emulator that restarted keeps nothing); any other permanent error, or that one without it, ends the session.
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
    private static readonly TimeSpan ClosePatience = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(100);

    /// <summary>Short, so that a service that is back is read again within seconds (readiness waits for it).</summary>
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    /// <summary>How long the service has to close a stream that ended its requests, before its deadline does.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(30);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var backoff = new Backoff(InitialBackoff, MaxBackoff, clock);
        bool lostLastTime = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            // What made sure the subscription exists when this stream opened: a loss it then sees is a loss of that one.
            Task ensured = session.Ensured;
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
                PubSubLog.StreamRetry(logger, index, session.Subscription, e, delay, backoff.Failures);
                await Task.Delay(delay, clock, stoppingToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (!stoppingToken.IsCancellationRequested && e.StatusCode == StatusCode.NotFound && session.Resources.CanCreate)
            {
                session.Health.Failed(index, $"Pub/Sub subscription '{session.Subscription}': {e.StatusCode} ({e.Status.Detail}); creating it again");
                await session.RecreateAsync(ensured, e.Status.Detail, stoppingToken).ConfigureAwait(false);

                // Open again soon; only a subscription that vanishes again at once waits longer each time.
                if (!lostLastTime)
                {
                    backoff.Reset();
                }

                lostLastTime = true;
                await backoff.WaitAsync(stoppingToken).ConfigureAwait(false);
                continue;
            }

            lostLastTime = false;
        }
    }

    private async Task PullAsync(Backoff backoff, CancellationToken stoppingToken)
    {
        SubscriberSettings settings = session.Settings;
        using var cut = new CancellationTokenSource();
        DateTime deadline = clock.GetUtcNow().UtcDateTime + settings.StreamLifetime + CloseGrace;
        using AsyncDuplexStreamingCall<StreamingPullRequest, StreamingPullResponse> call = client.StreamingPull(deadline: deadline, cancellationToken: cut.Token);
        await call.RequestStream.WriteAsync(new StreamingPullRequest
        {
            Subscription = session.Subscription,
            StreamAckDeadlineSeconds = settings.AckDeadlineSeconds,
            ClientId = clientId,
            MaxOutstandingMessages = Math.Max(1, settings.MaxOutstandingMessages / settings.Streams),
            MaxOutstandingBytes = Math.Max(1, settings.MaxOutstandingBytes / settings.Streams),
        }, stoppingToken).ConfigureAwait(false);
        session.Health.Opened(index);

        using var streamOver = new CancellationTokenSource();
        Task<bool> requests = SendRequestsAsync(call.RequestStream, settings.StreamLifetime, cut, stoppingToken, streamOver.Token);
        bool lived;
        try
        {
            // Read on after the stop or the end of the stream's life until the service ends the stream (or the
            // patience runs out): what comes meanwhile is leased like the rest.
            while (await call.ResponseStream.MoveNext(cut.Token).ConfigureAwait(false))
            {
                backoff.Reset();
                session.Health.Received(index);
                await session.DeliverAsync(call.ResponseStream.Current, cut.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            await streamOver.CancelAsync().ConfigureAwait(false);
            lived = await requests.ConfigureAwait(false);
        }

        if (lived)
        {
            // Closed because its lifetime was over, not by the service: the next one opens after the shortest wait.
            backoff.Reset();
        }
    }

    /// <summary>
    /// Pub/Sub closes streams that send nothing for a while: an empty request now and then keeps this one open,
    /// until its lifetime is over or the subscriber stops. Then the stream is closed from this side and the service
    /// ends it; on stop it gets <see cref="ClosePatience"/> before the stream is cut: the emulator does not notice a
    /// stream that was only cut off, and goes on handing it messages (those handed back at the stop among them),
    /// which then come back only after their ack deadline. Returns whether the stream's lifetime ended it.
    /// </summary>
    private async Task<bool> SendRequestsAsync(IClientStreamWriter<StreamingPullRequest> requests, TimeSpan lifetime, CancellationTokenSource cut, CancellationToken stoppingToken, CancellationToken streamOver)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, streamOver);
        long opened = clock.GetTimestamp();
        bool lived = false;
        try
        {
            while (true)
            {
                TimeSpan left = lifetime - clock.GetElapsedTime(opened);
                if (left <= TimeSpan.Zero)
                {
                    lived = true;
                    break;
                }

                await Task.Delay(left < KeepAlive ? left : KeepAlive, clock, either.Token).ConfigureAwait(false);
                if (clock.GetElapsedTime(opened) < lifetime)
                {
                    await requests.WriteAsync(new StreamingPullRequest(), cut.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The stream ended, or the subscriber stops.
        }
        catch (RpcException)
        {
            // The stream broke; the reader sees why.
            return false;
        }
        catch (InvalidOperationException)
        {
            // The call already completed.
            return false;
        }

        if (streamOver.IsCancellationRequested)
        {
            return false;
        }

        try
        {
            await requests.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or OperationCanceledException)
        {
            // Already over.
        }

        if (!lived)
        {
            cut.CancelAfter(ClosePatience);
        }

        return lived;
    }
}
