using ListeningTogether.Host.Streaming;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ListeningTogether.Host.Web;

/// <summary>Ready once every stage of this process reads its source (the geo databases are open by then).</summary>
internal sealed class ReadinessCheck(IEnumerable<IStageStatus> stages) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(stages.Any() && stages.All(s => s.IsReading)
            ? HealthCheckResult.Healthy("The pipeline is reading its source.")
            : HealthCheckResult.Unhealthy("The pipeline has not started yet."));
}
