using ListeningTogether.Streaming.Health;
using ListeningTogether.Transports.SignalR;

namespace ListeningTogether.Host.Streaming.Health;

/// <summary>
/// Looks every quarter second whether the sources the stages read can be read (a Pub/Sub subscription whose
/// service is down cannot) and whether the push backplane is connected, and reports them as the <c>source</c> and
/// <c>push</c> parts of <c>/readyz</c> and <c>lt_ready</c>.
/// </summary>
internal sealed class ReadinessWatch : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly SourceStatuses _sources;
    private readonly ComponentHealth _health;
    private readonly BackplaneStatus? _backplane;

    public ReadinessWatch(ComponentHealth health, SourceStatuses sources, BackplaneStatus? backplane = null)
    {
        _health = health;
        _sources = sources;
        _backplane = backplane;
        if (backplane is not null)
        {
            health.NotReady(StreamingComponent.Push, backplane.Problem ?? "not connected yet");
        }
    }

    /// <summary>Reports once: each part not ready with the first problem it has, else ready.</summary>
    public void Look()
    {
        if (_backplane is not null)
        {
            _health.Report(StreamingComponent.Push, _backplane.Problem);
        }

        if (_sources.Any)
        {
            _health.Report(StreamingComponent.Source, _sources.FirstProblem());
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Look();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
