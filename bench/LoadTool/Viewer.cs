using Microsoft.AspNetCore.SignalR.Client;

namespace ListeningTogether.LoadTool;

/// <summary>One simulated viewer: a hub connection that records what it receives and when.</summary>
internal sealed class Viewer(Uri hub, TimeProvider clock) : IAsyncDisposable
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

    /// <summary>What arrived of the co-plays the server pushed within [fromMs, toMs) of its clock, with their receipt times.</summary>
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
