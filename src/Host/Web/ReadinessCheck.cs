using ListeningTogether.Host.Streaming;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ListeningTogether.Host.Web;

/// <summary>Ready once the pipeline reads its source (the geo databases are open by then).</summary>
internal sealed class ReadinessCheck(StreamingPipeline pipeline) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(pipeline.Started.Task.IsCompletedSuccessfully
            ? HealthCheckResult.Healthy("The pipeline is reading its source.")
            : HealthCheckResult.Unhealthy("The pipeline has not started yet."));
}
