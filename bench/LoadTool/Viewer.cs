using Microsoft.AspNetCore.SignalR.Client;

namespace ListeningTogether.LoadTool;

/// <summary>A viewer on the official .NET SignalR client: it deserializes every push before its receipt time is taken.</summary>
internal sealed class Viewer(Uri hub, TimeProvider clock) : IViewer
{
    private readonly Lock _gate = new();
    private readonly List<(ReceivedCoPlay CoPlay, long ReceivedAtMs)> _received = [];
    private HubConnection? _connection;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        _connection = new HubConnectionBuilder().WithUrl(hub).Build();
        _connection.On<ReceivedCoPlay[]>("CoPlays", OnCoPlays);
        await _connection.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public bool IsConnected => _connection?.State == HubConnectionState.Connected;

    public List<(ReceivedCoPlay CoPlay, long ReceivedAtMs)> TakeReceived()
    {
        lock (_gate)
        {
            List<(ReceivedCoPlay CoPlay, long ReceivedAtMs)> taken = [.. _received];
            _received.Clear();
            return taken;
        }
    }

    public List<(ReceivedCoPlay CoPlay, long ReceivedAtMs)> PushedBetween(long fromMs, long toMs)
    {
        lock (_gate)
        {
            return [.. _received.Where(r => r.CoPlay.PushedAtMs >= fromMs && r.CoPlay.PushedAtMs < toMs)];
        }
    }

    private void OnCoPlays(ReceivedCoPlay[] items)
    {
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_gate)
        {
            foreach (ReceivedCoPlay item in items)
            {
                _received.Add((item, now));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
