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
        using var cut = new CancellationTokenSource();
        using AsyncDuplexStreamingCall<StreamingPullRequest, StreamingPullResponse> call = client.StreamingPull(cancellationToken: cut.Token);
        SubscriberSettings settings = session.Settings;
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
        Task requests = SendRequestsAsync(call.RequestStream, cut, stoppingToken, streamOver.Token);
        try
        {
            // Read on after the stop until the service ends the stream (or the patience runs out): what comes
            // meanwhile is leased like the rest and handed back with it.
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
            await requests.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Pub/Sub closes streams that send nothing for a while: an empty request now and then keeps this one open. On
    /// stop, the stream is closed from this side and the service gets <see cref="ClosePatience"/> to end it before it
    /// is cut: the emulator does not notice a stream that was only cut off, and goes on handing it messages (those
    /// handed back at the stop among them), which then come back only after their ack deadline.
    /// </summary>
    private async Task SendRequestsAsync(IClientStreamWriter<StreamingPullRequest> requests, CancellationTokenSource cut, CancellationToken stoppingToken, CancellationToken streamOver)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, streamOver);
        try
        {
            while (true)
            {
                await Task.Delay(KeepAlive, clock, either.Token).ConfigureAwait(false);
                await requests.WriteAsync(new StreamingPullRequest(), cut.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The stream ended, or the subscriber stops.
        }
        catch (RpcException)
        {
            // The stream broke; the reader sees why.
            return;
        }
        catch (InvalidOperationException)
        {
            // The call already completed.
            return;
        }

        if (streamOver.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await requests.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or OperationCanceledException)
        {
            // Already over.
        }

        cut.CancelAfter(ClosePatience);
    }
}
