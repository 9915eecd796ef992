using BenchmarkDotNet.Running;
using ListeningTogether.Bench;

// "core [plays] [shards]" runs the macro benchmark of the in-process core; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "core")
{
    return CoreThroughput.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(BenchData).Assembly).Run(args);
return 0;
