using ListeningTogether.Streaming.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ListeningTogether.Host.Streaming.Health;

/// <summary>
/// <c>/healthz</c>: healthy while every running loop makes progress. A slow or silent source does not fail it
/// (a waiting loop still beats); a loop stuck for <see cref="StalledAfter"/> does, so the orchestrator restarts the process.
/// </summary>
internal sealed class LivenessCheck(LoopHeartbeats loops) : IHealthCheck
{
    public static readonly TimeSpan StalledAfter = TimeSpan.FromSeconds(30);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<(string Loop, TimeSpan Since)> stalled = loops.Stalled(StalledAfter);
        return Task.FromResult(stalled.Count == 0
            ? HealthCheckResult.Healthy("Every loop is making progress.")
            : HealthCheckResult.Unhealthy(string.Join("; ", stalled.Select(s => $"{s.Loop} has made no progress for {s.Since.TotalSeconds:0} s"))));
    }
}
