using BenchmarkDotNet.Running;
using ListeningTogether.Bench;

// "core [plays] [shards]" runs the macro benchmark of the in-process core, "archive [plays]" the streaming archive's,
// "lookup-order PLAYS.jsonl" City lookups in arrival vs address order, "match-buckets PLAYS.jsonl" replay's matching alone,
// "results [coPlaysPerSecond]" the Parquet results sink's rewrite cost, "result-writing COPLAYS.jsonl" replay's
// result writing stage by stage, "geolocate ..." writes the IP -> location
// table of bench/replay-vs-duckdb.sh; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "core")
{
    return CoreThroughput.Run(args);
}

if (args.Length > 0 && args[0] == "archive")
{
    return await ArchiveThroughput.RunAsync(args);
}

if (args.Length > 0 && args[0] == "results")
{
    return await ResultsRewriteCost.RunAsync(args);
}

if (args.Length > 0 && args[0] == "result-writing")
{
    return await ResultWritingCost.RunAsync(args);
}

if (args.Length > 0 && args[0] == "lookup-order")
{
    return LookupOrderExperiment.Run(args);
}

if (args.Length > 0 && args[0] == "match-buckets")
{
    return MatchBucketsExperiment.Run(args);
}

if (args.Length > 0 && args[0] == "geolocate")
{
    return IpLocations.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(BenchData).Assembly).Run(args);
return 0;
