using Microsoft.AspNetCore.SignalR.Client;

namespace ListeningTogether.LoadTool;

/// <summary>One simulated viewer: a hub connection that records what it receives and when.</summary>
internal sealed class Viewer(Uri hub, TimeProvider clock) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly HashSet<(DateTimeOffset, string)> _received = [];
    private readonly List<double> _pushToReceiptMs = [];
    private readonly List<double> _eventToReceiptMs = [];
    private HubConnection? _connection;

    public bool Measuring { get; set; }

    public int Received
    {
        get
        {
            lock (_gate)
            {
                return _received.Count;
            }
        }
    }

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        _connection = new HubConnectionBuilder().WithUrl(hub).Build();
        _connection.On<ReceivedCoPlay[]>("CoPlays", OnCoPlays);
        await _connection.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public IReadOnlySet<(DateTimeOffset, string)> Keys()
    {
        lock (_gate)
        {
            return _received.ToHashSet();
        }
    }

    public (List<double> PushToReceipt, List<double> EventToReceipt) Latencies()
    {
        lock (_gate)
        {
            return ([.. _pushToReceiptMs], [.. _eventToReceiptMs]);
        }
    }

    private void OnCoPlays(ReceivedCoPlay[] items)
    {
        if (!Measuring)
        {
            return;
        }

        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_gate)
        {
            foreach (ReceivedCoPlay item in items)
            {
                _received.Add((item.WindowStart, item.TrackId));
                _pushToReceiptMs.Add(now - item.PushedAtMs);
                _eventToReceiptMs.Add(now - item.WindowStart.ToUnixTimeMilliseconds());
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
