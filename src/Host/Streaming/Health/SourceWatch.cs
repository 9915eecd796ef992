using ListeningTogether.Abstractions;

namespace ListeningTogether.Host.Streaming.Health;

/// <summary>
/// Looks every quarter second whether the sources the stages read can be read (a Pub/Sub subscription whose
/// service is down cannot), and reports it as the <c>source</c> part of <c>/readyz</c> and <c>lt_ready</c>.
/// </summary>
internal sealed class SourceWatch(ComponentHealth health) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly Lock _gate = new();
    private readonly List<ISourceStatus> _sources = [];

    public void Add(ISourceStatus source)
    {
        lock (_gate)
        {
            _sources.Add(source);
        }
    }

    /// <summary>Reports the sources once: not ready with the first problem any of them has, else ready.</summary>
    public void Look()
    {
        string? problem;
        lock (_gate)
        {
            if (_sources.Count == 0)
            {
                return;
            }

            problem = _sources.Select(s => s.Problem).FirstOrDefault(p => p is not null);
        }

        if (problem is null)
        {
            health.Recovered(StreamingComponent.Source);
        }
        else
        {
            health.NotReady(StreamingComponent.Source, problem);
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
