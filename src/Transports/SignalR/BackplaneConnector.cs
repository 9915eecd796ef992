using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace ListeningTogether.Transports.SignalR;

/// <summary>
/// Connects the SignalR Redis backplane so that a site started while Redis is away joins it once Redis is back.
/// The connection keeps trying in the background (whatever the connection string's <c>abortConnect</c>), and it is
/// handed to SignalR only once connected: SignalR subscribes its channels once, right after it gets the connection,
/// and a subscription that fails then is never made again, so the site would publish pushes but never receive any.
/// Meanwhile <see cref="BackplaneStatus"/> keeps <c>/readyz</c> at 503 and pushes are not tried.
/// </summary>
internal sealed class BackplaneConnector(BackplaneStatus status, IHostApplicationLifetime? lifetime = null, TimeProvider? clock = null) : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private readonly CancellationTokenSource _disposed = new();

    public async Task<IConnectionMultiplexer> ConnectAsync(ConfigurationOptions configuration, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.AbortOnConnectFail = false;
        ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(configuration, log).ConfigureAwait(false);
        status.Watch(connection);
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token, lifetime?.ApplicationStopping ?? CancellationToken.None);
        try
        {
            while (!connection.IsConnected)
            {
                await Task.Delay(Poll, clock ?? TimeProvider.System, giveUp.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The site stops before Redis came back: nobody takes the connection, so it is closed here.
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return connection;
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
