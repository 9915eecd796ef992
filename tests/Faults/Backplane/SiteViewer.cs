using System.Collections.Concurrent;
using ListeningTogether.Host.Web;
using Microsoft.AspNetCore.SignalR.Client;

namespace ListeningTogether.Faults.Tests.Backplane;

/// <summary>
/// A viewer of one site replica's hub, reconnecting as the browser does: which tracks' co-plays were pushed to it,
/// and how often its connection was lost and found again.
/// </summary>
public sealed class SiteViewer : IAsyncDisposable
{
    /// <summary>Where the page opens the hub (CoPlayHub.Path).</summary>
    public const string HubPath = "/hub/coplays";

    private readonly HubConnection _connection;
    private readonly ConcurrentDictionary<string, byte> _tracks = new(StringComparer.Ordinal);
    private int _reconnecting;
    private int _reconnected;
    private int _closed;

    private SiteViewer(string name, HubConnection connection)
    {
        Name = name;
        _connection = connection;
        _connection.On<CoPlayView[]>("CoPlays", items =>
        {
            foreach (CoPlayView item in items)
            {
                _tracks.TryAdd(item.TrackId, 0);
            }
        });
        _connection.Reconnecting += _ =>
        {
            Interlocked.Increment(ref _reconnecting);
            return Task.CompletedTask;
        };
        _connection.Reconnected += _ =>
        {
            Interlocked.Increment(ref _reconnected);
            return Task.CompletedTask;
        };
        _connection.Closed += _ =>
        {
            Interlocked.Increment(ref _closed);
            return Task.CompletedTask;
        };
    }

    public string Name { get; }

    public HubConnectionState State => _connection.State;

    /// <summary>Times the connection was lost and automatic reconnect began.</summary>
    public int Reconnecting => Volatile.Read(ref _reconnecting);

    /// <summary>Times automatic reconnect succeeded.</summary>
    public int Reconnected => Volatile.Read(ref _reconnected);

    /// <summary>Times the connection closed for good (automatic reconnect gave up, or was never allowed).</summary>
    public int Closed => Volatile.Read(ref _closed);

    public static async Task<SiteViewer> ConnectAsync(string name, int port)
    {
        HubConnection connection = new HubConnectionBuilder()
            .WithUrl(new Uri($"http://127.0.0.1:{port}{HubPath}"))
            .WithAutomaticReconnect(new BrowserReconnectPolicy())
            .Build();
        var viewer = new SiteViewer(name, connection);
        await connection.StartAsync();
        return viewer;
    }

    public bool Received(string trackId) => _tracks.ContainsKey(trackId);

    /// <summary>The tracks received whose id starts with <paramref name="prefix"/>, in ordinal order.</summary>
    public string[] ReceivedStartingWith(string prefix) =>
        [.. _tracks.Keys.Where(t => t.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    public override string ToString() =>
        $"{Name}: {State}, {_tracks.Count} tracks received, reconnecting {Reconnecting}, reconnected {Reconnected}, closed {Closed}";

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
