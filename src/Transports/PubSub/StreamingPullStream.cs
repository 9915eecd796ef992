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
        using AsyncDuplexStreamingCall<StreamingPullRequest, StreamingPullResponse> call = client.StreamingPull(cancellationToken: stoppingToken);
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

        using var streamDone = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task keepAlive = KeepAliveAsync(call.RequestStream, streamDone.Token);
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
            await keepAlive.ConfigureAwait(false);
        }
    }

    /// <summary>Pub/Sub closes streams that send nothing for a while: an empty request now and then keeps this one open.</summary>
    private async Task KeepAliveAsync(IClientStreamWriter<StreamingPullRequest> requests, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(KeepAlive, clock, cancellationToken).ConfigureAwait(false);
                await requests.WriteAsync(new StreamingPullRequest(), cancellationToken).ConfigureAwait(false);
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
    }
}
