using System.CommandLine;
using ListeningTogether.Host.Cli;

var root = new RootCommand("Listening Together: who is playing the same song as me, far away")
{
    RunCommand.Create(),
    ReplayCommand.Create(),
    SimulateCommand.Create(),
};

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
