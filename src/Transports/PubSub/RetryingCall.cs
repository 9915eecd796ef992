using Grpc.Core;

namespace ListeningTogether.Transports.PubSub;

/// <summary>
/// Runs a unary call again after transient failures, with exponential backoff, until it succeeds, fails for good or
/// is cancelled. The backoff stops growing at a couple of seconds, so that work resumes soon after an outage ends.
/// </summary>
internal static class RetryingCall
{
    public static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    /// <param name="onRetry">Told of each failure to be retried: the failure, the delay before the next try, and the failures of this call so far.</param>
    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, TimeProvider clock, Action<RpcException, TimeSpan, int>? onRetry, CancellationToken cancellationToken)
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
                onRetry?.Invoke(e, delay, backoff.Failures);
                await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
