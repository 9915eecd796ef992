using ListeningTogether.Streaming;
using ListeningTogether.Streaming.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ListeningTogether.Host.Streaming.Health;

/// <summary>
/// <c>/readyz</c>: ready once every stage of this process reads its source (the geo databases are open by then)
/// and while every tracked part (the source, each sink, the archive, the push backplane) can do its work. An
/// unready answer names the parts that cannot, and why.
/// </summary>
internal sealed class ReadinessCheck(IEnumerable<IStageStatus> stages, ComponentHealth components) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!stages.Any() || !stages.All(s => s.IsReading))
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("not ready: the pipeline has not started yet"));
        }

        ComponentStatus[] failing = [.. components.Snapshot().Where(c => !c.IsReady)];
        return Task.FromResult(failing.Length == 0
            ? HealthCheckResult.Healthy("ready")
            : HealthCheckResult.Unhealthy("not ready: " + string.Join("; ", failing.Select(c => $"{c.Component}: {c.Problem}"))));
    }
}
