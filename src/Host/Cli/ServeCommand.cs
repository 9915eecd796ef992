using System.CommandLine;
using ListeningTogether.Host.Composition;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Web;
using ListeningTogether.Host.Web.Playback;

namespace ListeningTogether.Host.Cli;

/// <summary><c>serve</c> (the default verb): the streaming pipeline, the web site and the push-only SignalR hub.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "The streaming pipeline and the live site with its world map (the default)");
        Configure(command);
        return command;
    }

    /// <summary>Makes <paramref name="command"/> (serve, or the root command for the default verb) run the site.</summary>
    public static void Configure(Command command)
    {
        Option<StreamingStage> stage = StageOption.Create(StreamingStage.All, StreamingStage.Site);
        Option<string[]> playback = PlaybackOption.Create();
        command.Options.Add(stage);
        command.Options.Add(playback);
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, async configuration =>
        {
            var (folders, settings) = PlaybackOption.Split(parse.GetValue(playback));
            using IHost host = Build(ServeDefaults.Apply(configuration, folders, settings), parse.GetValue(stage));
            await host.RunStagesAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken));
    }

    public static IHost Build(IConfigurationRoot configuration, StreamingStage stage = StreamingStage.All)
    {
        var site = ValidatedOptions.Bind<SiteOptions>(configuration, SiteOptions.Section);
        ForwardedHeadersOptions? forwardedHeaders = KnownProxies.ForwardedHeaders(site);
        PushSettings push = PushSettings.Bind(configuration);
        WebApplicationBuilder builder = WebHostFactory.CreateBuilder(configuration);
        builder.Services.AddStreamingPipeline(configuration, stage);
        builder.Services.AddOperations();
        builder.Services.AddSite(site, push);
        builder.Services.AddPlayback(configuration);

        WebApplication app = builder.Build();
        app.UseSecurityHeaders();
        app.MapOperations();
        app.UseSite(forwardedHeaders);
        app.MapPlayback();
        return app;
    }
}
