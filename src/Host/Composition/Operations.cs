using ListeningTogether.Host.Streaming.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;

namespace ListeningTogether.Host.Composition;

/// <summary>What platform teams need of every stage: /healthz, /readyz and Prometheus metrics on /metrics, on Urls or Management:Urls.</summary>
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

    private static readonly PathString[] Paths = ["/healthz", "/readyz", "/metrics"];

    /// <summary>
    /// Maps /healthz (checks tagged "live"), /readyz (tagged "ready") and /metrics. With Management:Urls they answer
    /// only on the management port, which serves nothing else; host filtering (AllowedHosts) applies to the other
    /// ports only, so probes and scrapes can name the pod by its address. Call it before the site's middleware.
    /// </summary>
    public static WebApplication MapOperations(this WebApplication app)
    {
        // Created now so its instruments exist before the first scrape.
        app.Services.GetRequiredService<PipelineMetrics>();
        ManagementPort management = app.Services.GetRequiredService<ManagementPort>();
        if (management.IsSeparate)
        {
            app.Use((context, next) =>
            {
                bool operationsPath = Array.Exists(Paths, p => context.Request.Path.StartsWithSegments(p));
                if (operationsPath != management.Serves(context))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return next(context);
            });
        }

        app.UseWhen(context => !management.Serves(context), site => site.UseHostFiltering());
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("live"), ResponseWriter = HealthText.WriteAsync });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = HealthText.WriteAsync });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
