using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Composition;
using Microsoft.Extensions.Hosting;

namespace ListeningTogether.Deploy.Tests.Fixtures;

/// <summary>A streaming stage's host, built by the real command from exactly its container's settings and arguments.</summary>
public static class StageHost
{
    public static IHost Build(StageSettings settings)
    {
        (string verb, StreamingStage stage) = settings.Args switch
        {
            ["serve", "--stage", "site"] => ("serve", StreamingStage.Site),
            ["run", "--stage", "ingest"] => ("run", StreamingStage.Ingest),
            ["run", "--stage", "match"] => ("run", StreamingStage.Match),
            _ => throw new InvalidOperationException($"Unexpected arguments: {string.Join(' ', settings.Args)}"),
        };
        return verb == "serve"
            ? ServeCommand.Build(settings.Configuration(), stage)
            : RunCommand.Build(settings.Configuration(), stage);
    }
}
