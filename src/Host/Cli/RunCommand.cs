using System.CommandLine;
using ListeningTogether.Host.Composition;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Streaming;

namespace ListeningTogether.Host.Cli;

/// <summary><c>run</c>: the streaming pipeline as a worker, co-plays to the console and the configured sinks; /healthz, /readyz and /metrics on <c>Urls</c>.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "The streaming pipeline without the web site: co-plays to the console and Results:Jsonl");
        Option<StreamingStage> stage = StageOption.Create(StreamingStage.All, StreamingStage.Ingest, StreamingStage.Match);
        command.Options.Add(stage);
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, async configuration =>
        {
            using IHost host = Build(configuration, parse.GetValue(stage));
            await host.RunStagesAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken));
        return command;
    }

    public static IHost Build(IConfigurationRoot configuration, StreamingStage stage = StreamingStage.All)
    {
        WebApplicationBuilder builder = WebHostFactory.CreateBuilder(configuration);
        builder.Services.AddStreamingPipeline(configuration, stage);
        if (stage == StreamingStage.All)
        {
            builder.Services.AddSingleton<ICoPlayViewerSink>(sp => new ConsoleCoPlayViewer(sp.GetRequiredService<TrackTitles>(), Console.Out));
        }

        builder.Services.AddOperations();
        WebApplication app = builder.Build();
        app.MapOperations();
        return app;
    }
}
