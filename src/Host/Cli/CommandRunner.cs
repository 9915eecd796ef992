using System.CommandLine;
using ListeningTogether.Host.Configuration;

namespace ListeningTogether.Host.Cli;

/// <summary>
/// Runs a verb with its settings; a failure ends it with the exit code of <see cref="Failure"/> and one line on
/// stderr (with <c>--verbose</c>, the stack trace after it), and SIGINT or SIGTERM with <see cref="ExitCodes.Interrupted"/>.
/// </summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(ParseResult parse, Func<IConfigurationRoot, Task<int>> action, CancellationToken cancellationToken)
    {
        bool verbose = VerboseOption.IsSet(parse);
        IConfigurationRoot? configuration = null;
        try
        {
            configuration = AppConfiguration.Build(SettingArguments.Of(parse), debugLogging: verbose);
            foreach (string warning in SettingSections.Warnings(configuration))
            {
                await Console.Error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
            }

            return await action(configuration).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("interrupted; temporary files removed").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            Failure failure = Failure.Of(e, configuration);
            await Console.Error.WriteLineAsync($"error: {failure.Message}").ConfigureAwait(false);
            if (verbose)
            {
                await Console.Error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            }

            return failure.ExitCode;
        }
    }
}
