using System.CommandLine;
using System.CommandLine.Invocation;
using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Composition;

StartupJitProfile.Start(args);

var root = new RootCommand("Listening Together: who is playing the same song as me, far away")
{
    ServeCommand.Create(),
    RunCommand.Create(),
    ReplayCommand.Create(),
    MergeCommand.Create(),
    SimulateCommand.Create(),
    VerboseOption.Create(),
};

// With no verb, serve: the live site on the embedded defaults.
ServeCommand.Configure(root);
ParseResult parse = root.Parse(args);
if (parse.Action is ParseErrorAction)
{
    // A missing or malformed option refuses the work, in one line (DESIGN.md: exit code 2).
    await Console.Error.WriteLineAsync($"error: {string.Join("; ", parse.Errors.Select(e => e.Message))} (see lt --help)").ConfigureAwait(false);
    return ExitCodes.Refused;
}

using var signals = new TerminationSignals();
int exitCode = await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, signals.Token).ConfigureAwait(false);
return exitCode == ExitCodes.Interrupted ? signals.InterruptedExitCode : exitCode;
