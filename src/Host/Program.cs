using System.CommandLine;
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
};

// With no verb, serve: the live site on the embedded defaults.
ServeCommand.Configure(root);
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
