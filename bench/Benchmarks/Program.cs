using BenchmarkDotNet.Running;
using ListeningTogether.Bench;

// "core [plays] [shards]" runs the macro benchmark of the in-process core, "geolocate ..." writes the IP -> location
// table of bench/replay-vs-duckdb.sh; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "core")
{
    return CoreThroughput.Run(args);
}

if (args.Length > 0 && args[0] == "geolocate")
{
    return IpLocations.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(BenchData).Assembly).Run(args);
return 0;
