using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Channels;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Windowing;
using ListeningTogether.Replay.Output.Results;
using ListeningTogether.Replay.Spill;

namespace ListeningTogether.Replay;

/// <summary>
/// Replay's second pass: each time bucket's spilled plays are grouped and matched exactly, several buckets at
/// once, and their results handed on in bucket order (so co-plays come out sorted by window, then track). At
/// most a few buckets are in memory at a time.
/// </summary>
internal sealed class MatchPass
{
    private readonly ReplayRequest _request;
    private readonly string _spillDirectory;
    private readonly SpillMemory _memory;

    public MatchPass(ReplayRequest request, string spillDirectory, SpillMemory memory)
    {
        _memory = memory;
        _request = request;
        _spillDirectory = spillDirectory;
    }

    /// <summary>
    /// Matches the buckets <paramref name="classify"/> hands out as they become ready, while it still runs; reports
    /// progress once it is done (before then its own progress covers the run).
    /// </summary>
    public async Task<MatchTotals> RunAsync(ClassifyPass classify, Task<ClassifyResult> classifying, long bucketMs, Func<BucketResult, ValueTask> write, CancellationToken cancellationToken)
    {
        var assigner = new WindowAssigner(_request.WindowMs);
        var options = new MatchingOptions(_request.MinDistanceKm);
        int parallelism = Math.Max(1, _request.Workers);
        var inFlight = Channel.CreateBounded<Task<BucketResult>>(Math.Max(1, parallelism - 1));
        var matchers = new ConcurrentBag<SpillBucketMatcher>();
        var jsonlBuffers = new ConcurrentBag<ArrayBufferWriter<byte>>();
        var placeCaches = new ConcurrentBag<PlaceJsonCache>();

        Task producer = Task.Run(async () =>
        {
            try
            {
                int workers = await classify.Workers.ConfigureAwait(false);
                await foreach (long bucket in classify.ReadyBuckets.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    Task<BucketResult> task = Task.Run(() =>
                    {
                        SpillBucketMatcher matcher = matchers.TryTake(out SpillBucketMatcher? m) ? m : new SpillBucketMatcher(assigner, bucketMs, options, _request.Cities);
                        PlaceJsonCache places = placeCaches.TryTake(out PlaceJsonCache? p) ? p : new PlaceJsonCache();
                        try
                        {
                            ArrayBufferWriter<byte> jsonl = jsonlBuffers.TryTake(out ArrayBufferWriter<byte>? b) ? b : new ArrayBufferWriter<byte>(1 << 20);
                            return MatchBucket(bucket, workers, matcher, bucketMs, jsonl, places);
                        }
                        finally
                        {
                            matchers.Add(matcher);
                            placeCaches.Add(places);
                        }
                    }, cancellationToken);
                    await inFlight.Writer.WriteAsync(task, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                inFlight.Writer.Complete();
            }
        }, cancellationToken);

        long distinctPlays = 0, windows = 0, coPlays = 0, done = 0;
        await foreach (Task<BucketResult> task in inFlight.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            BucketResult result = await task.ConfigureAwait(false);
            distinctPlays += result.DistinctPlays;
            windows += result.Windows;
            coPlays += result.CoPlays.Count;
            await write(result).ConfigureAwait(false);

            // Buckets' JSONL runs to megabytes: its buffer goes to the next bucket rather than to the garbage collector.
            result.Jsonl.ResetWrittenCount();
            jsonlBuffers.Add(result.Jsonl);
            done++;
            if (classifying.IsCompletedSuccessfully)
            {
                _request.Progress?.Report(new ReplayProgress("match", done, classifying.Result.Buckets.Count, distinctPlays));
            }
        }

        await producer.ConfigureAwait(false);
        _request.Progress?.Report(new ReplayProgress("match", done, done, distinctPlays));
        return new MatchTotals(distinctPlays, windows, coPlays);
    }

    private BucketResult MatchBucket(long bucket, int workers, SpillBucketMatcher matcher, long bucketMs, ArrayBufferWriter<byte> jsonl, PlaceJsonCache places)
    {
        int filled = ReadBucket(bucket, workers, matcher);
        var playsPerMinute = new List<MinutePlays>();
        SpillBatchResult result = matcher.Match(bucket * bucketMs, filled, playsPerMinute);
        for (int i = 0; i < result.CoPlays.Count; i++)
        {
            CoPlayJsonl.Write(jsonl, result.CoPlays[i], result.Places[i], places);
        }

        return new BucketResult(result.CoPlays, result.Places, jsonl, result.DistinctPlays, result.Windows, playsPerMinute);
    }

    /// <summary>Reads a bucket's spilled plays (its workers' files, then what memory kept) into the matcher's buffer; returns their length.</summary>
    private int ReadBucket(long bucket, int workers, SpillBucketMatcher matcher)
    {
        string[] files = [.. SpillFiles.ForBucket(_spillDirectory, bucket, workers)];
        IReadOnlyList<ArraySegment<byte>> kept = _memory.Take(bucket);
        Span<byte> records = matcher.RecordBuffer(checked((int)files.Sum(f => new FileInfo(f).Length) + kept.Sum(c => c.Count)));
        int filled = 0;
        foreach (string file in files)
        {
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1))
            {
                int length = checked((int)stream.Length);
                stream.ReadExactly(records.Slice(filled, length));
                filled += length;
            }

            File.Delete(file);
        }

        foreach (ArraySegment<byte> chunk in kept)
        {
            chunk.AsSpan().CopyTo(records[filled..]);
            filled += chunk.Count;
            _memory.Return(chunk);
        }

        return filled;
    }
}

/// <summary>One time bucket's co-plays (sorted) with their place ids, already formatted as JSONL (a buffer lent until written), and its totals (also per minute).</summary>
internal sealed record BucketResult(IReadOnlyList<CoPlay> CoPlays, IReadOnlyList<CoPlayPlaces> Places, ArrayBufferWriter<byte> Jsonl, long DistinctPlays, long Windows, IReadOnlyList<MinutePlays> PlaysPerMinute);

internal sealed record MatchTotals(long DistinctPlays, long Windows, long CoPlays);
