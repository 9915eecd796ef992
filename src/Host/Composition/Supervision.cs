using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Streaming.Health;
using ListeningTogether.Streaming.Health;
using ListeningTogether.Streaming.Sinks;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Host.Composition;

/// <summary>
/// What makes a streaming process tell the truth about itself (DESIGN.md "Failure, exit codes and readiness"):
/// readiness by part, loop heartbeats, retried writes and the failure that ends the process.
/// </summary>
internal static class Supervision
{
    public static IServiceCollection AddStageSupervision(this IServiceCollection services, IConfiguration configuration)
    {
        var sinks = ValidatedOptions.Bind<SinksOptions>(configuration, SinksOptions.Section);
        services.AddSingleton(Options.Create(sinks));
        services.AddSingleton(_ =>
        {
            var health = new ComponentHealth();
            health.NotReady(StreamingComponent.Source, "the stage has not started reading yet");
            return health;
        });
        services.AddSingleton<LoopHeartbeats>();
        services.AddSingleton(sp => new StageFailures(sp.GetRequiredService<IHostApplicationLifetime>().StopApplication));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<SinkRetry>(sp, (Func<Exception, bool>)TransportFailures.CannotPass));
        services.AddSingleton<SourceStatuses>();
        services.AddSingleton<ReadinessWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<ReadinessWatch>());
        services.AddSingleton<StageSupervisor>();
        return services;
    }

    /// <summary><paramref name="sink"/> with its failing writes retried, reported under <paramref name="target"/>.</summary>
    public static ICoPlaySink Retrying(this IServiceProvider services, ICoPlaySink sink, SinkTarget target)
    {
        services.GetRequiredService<ComponentHealth>().Track(target.Component);
        return new RetryingCoPlaySink(sink, target, services.GetRequiredService<SinkRetry>());
    }

    /// <summary>
    /// Runs <paramref name="host"/> until it stops, then throws the failure that ended a stage, if one did, as the
    /// verb's exit code 1.
    /// </summary>
    public static async Task RunStagesAsync(this IHost host, CancellationToken cancellationToken)
    {
        StageFailures? failures = host.Services.GetService<StageFailures>();
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        if (failures?.First is { } failure)
        {
            throw new Cli.RuntimeFailureException(failure.Description, failure.Failure);
        }
    }
}
