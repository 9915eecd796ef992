using Microsoft.AspNetCore.SignalR.Client;

namespace ListeningTogether.Faults.Tests.Backplane;

/// <summary>
/// The site page's automatic reconnect (src/Host/ClientApp/src/connection.js): after 0, 1, 2, 5 and 10 s, then
/// every 10 s for ever, so a test viewer gives up no sooner than a browser would.
/// </summary>
public sealed class BrowserReconnectPolicy : IRetryPolicy
{
    private static readonly TimeSpan[] Delays = [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)];

    public TimeSpan? NextRetryDelay(RetryContext retryContext)
    {
        ArgumentNullException.ThrowIfNull(retryContext);
        return Delays[(int)Math.Min(retryContext.PreviousRetryCount, Delays.Length - 1)];
    }
}
