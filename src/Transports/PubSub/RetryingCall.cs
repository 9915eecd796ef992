using Grpc.Core;

namespace ListeningTogether.Transports.PubSub;

/// <summary>Runs a unary call again after transient failures, with exponential backoff, until it succeeds, fails for good or is cancelled.</summary>
internal static class RetryingCall
{
    public static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, TimeProvider clock, Action<RpcException, TimeSpan>? onRetry, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(InitialBackoff, MaxBackoff, clock);
        while (true)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (TransientStatus.IsTransient(e.StatusCode) && !cancellationToken.IsCancellationRequested)
            {
                TimeSpan delay = backoff.Next();
                onRetry?.Invoke(e, delay);
                await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
