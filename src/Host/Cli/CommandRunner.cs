using System.CommandLine;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Replay.Input;
using ListeningTogether.Replay.Merge;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Host.Cli;

/// <summary>Runs a verb with its settings and turns expected failures into one clear line and exit code 2.</summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(ParseResult parse, Func<IConfigurationRoot, Task<int>> action, CancellationToken cancellationToken)
    {
        try
        {
            IConfigurationRoot configuration = AppConfiguration.Build(parse.UnmatchedTokens);
            return await action(configuration).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SettingsException or PubSubException or GeoDatabaseException or InputFileException or MergeRefusedException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (RuntimeFailureException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("cancelled").ConfigureAwait(false);
            return 130;
        }
    }
}
