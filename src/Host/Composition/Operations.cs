using ListeningTogether.Host.Streaming;
using ListeningTogether.Host.Streaming.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;

namespace ListeningTogether.Host.Composition;

/// <summary>What platform teams need of every stage: /healthz, /readyz and Prometheus metrics on /metrics.</summary>
internal static class Operations
{
    public static IServiceCollection AddOperations(this IServiceCollection services)
    {
        services.AddSingleton<PipelineMetrics>();
        services.AddHealthChecks()
            .AddCheck<LivenessCheck>("loops", tags: ["live"])
            .AddCheck<ReadinessCheck>("pipeline", tags: ["ready"]);
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(PipelineMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        return services;
    }

    public static WebApplication MapOperations(this WebApplication app)
    {
        // Created now so its instruments exist before the first scrape.
        app.Services.GetRequiredService<PipelineMetrics>();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("live"), ResponseWriter = HealthText.WriteAsync });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = HealthText.WriteAsync });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
