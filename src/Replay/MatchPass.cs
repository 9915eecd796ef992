using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Windowing;
using ListeningTogether.Replay.Spill;

namespace ListeningTogether.Replay;

/// <summary>
/// Replay's second pass: each time bucket's spilled plays are grouped and matched exactly, buckets in parallel,
/// results handed on in bucket order (so co-plays come out sorted by window, then track).
/// </summary>
internal sealed class MatchPass
{
    private readonly ReplayRequest _request;
    private readonly string _spillDirectory;

    public MatchPass(ReplayRequest request, string spillDirectory)
    {
        _request = request;
        _spillDirectory = spillDirectory;
    }

    public (long DistinctPlays, long Windows) Run(ClassifyResult classified, Action<IReadOnlyList<CoPlay>> write, CancellationToken cancellationToken)
    {
        var assigner = new WindowAssigner(_request.WindowMs);
        var options = new MatchingOptions(_request.MinDistanceKm);
        long distinctPlays = 0, windows = 0;
        int parallelism = Math.Max(1, _request.Workers);
        IReadOnlyList<long> buckets = classified.Buckets;
        for (int start = 0; start < buckets.Count; start += parallelism)
        {
            int count = Math.Min(parallelism, buckets.Count - start);
            var results = new BatchResult[count];
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, i =>
            {
                results[i] = MatchBucket(buckets[start + i], classified.Workers, assigner, new CoPlayMatcher(options));
            });

            foreach (BatchResult result in results)
            {
                distinctPlays += result.DistinctPlays;
                windows += result.Windows;
                write(result.CoPlays);
            }

            _request.Progress?.Report(new ReplayProgress("match", start + count, buckets.Count, distinctPlays));
        }

        return (distinctPlays, windows);
    }

    private BatchResult MatchBucket(long bucket, int workers, WindowAssigner assigner, CoPlayMatcher matcher)
    {
        var engine = new BatchCoPlayEngine(assigner, matcher);
        CityDatabase cities = _request.Cities;
        foreach (string file in SpillFiles.ForBucket(_spillDirectory, bucket, workers))
        {
            byte[] bytes = File.ReadAllBytes(file);
            File.Delete(file);
            ReadOnlySpan<byte> rest = bytes;
            while (!rest.IsEmpty)
            {
                int length = SpillRecord.Read(rest, out long playedAtMs, out int cityRecord, out ReadOnlySpan<byte> trackId, out ReadOnlySpan<byte> eventId);
                engine.Add(trackId, eventId, playedAtMs, cities.Resolved(cityRecord).Location!);
                rest = rest[length..];
            }
        }

        return engine.Finish();
    }
}
