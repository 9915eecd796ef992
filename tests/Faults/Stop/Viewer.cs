using System.Collections.Concurrent;
using System.Diagnostics;
using ListeningTogether.Host.Web;
using Microsoft.AspNetCore.SignalR.Client;

namespace ListeningTogether.Faults.Tests.Stop;

/// <summary>
/// A page's connection to a site's hub: records the recent co-plays it gets on connecting and every co-play pushed
/// afterwards with when it arrived, and notices when the site drops the connection.
/// </summary>
public sealed class Viewer : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<CoPlayView> _recent = new();
    private readonly ConcurrentQueue<(CoPlayView[] CoPlays, TimeSpan At)> _pushes = new();
    private readonly TaskCompletionSource _recentArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Viewer(Uri site)
    {
        _connection = new HubConnectionBuilder().WithUrl(new Uri(site, "/hub/coplays")).Build();
        _connection.On<CoPlayView[]>("Recent", items =>
        {
            Array.ForEach(items, _recent.Enqueue);
            _recentArrived.TrySetResult();
        });
        _connection.On<CoPlayView[]>("CoPlays", items => _pushes.Enqueue((items, _clock.Elapsed)));
        _connection.Closed += _ =>
        {
            _closed.TrySetResult();
            return Task.CompletedTask;
        };
    }

    /// <summary>Co-plays the site sent at once on connecting; see <see cref="RecentArrived"/>.</summary>
    public IReadOnlyList<CoPlayView> Recent => [.. _recent];

    /// <summary>Completes when the recent co-plays have arrived, which is shortly after connecting.</summary>
    public Task RecentArrived => _recentArrived.Task;

    /// <summary>The pushes since connecting (one per window shown), with the time since connecting at which each arrived.</summary>
    public IReadOnlyList<(CoPlayView[] CoPlays, TimeSpan At)> Pushes => [.. _pushes];

    /// <summary>Completes when the site has dropped the connection.</summary>
    public Task Closed => _closed.Task;

    public static async Task<Viewer> ConnectAsync(Uri site)
    {
        var viewer = new Viewer(site);
        await viewer._connection.StartAsync();
        return viewer;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
