using System.Collections.Concurrent;
using System.Globalization;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Eligibility;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Replay.Input;
using ListeningTogether.Replay.Spill;

namespace ListeningTogether.Replay;

/// <summary>
/// Replay's first pass, on every core: read the input chunks, classify each record, count outcomes, dead-letter
/// what must be, and spill eligible plays into time buckets so the second pass holds one bucket at a time.
/// </summary>
internal sealed class ClassifyPass
{
    private readonly ReplayRequest _request;
    private readonly long _bucketMs;
    private readonly string _spillDirectory;

    public ClassifyPass(ReplayRequest request, long bucketMs, string spillDirectory)
    {
        _request = request;
        _bucketMs = bucketMs;
        _spillDirectory = spillDirectory;
    }

    public ClassifyResult Run(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var chunks = new List<FileChunk>();
        for (int i = 0; i < files.Count; i++)
        {
            chunks.AddRange(FileChunk.Split(i, files[i], 32L << 20));
        }

        long totalBytes = chunks.Sum(c => c.End - c.Start);
        long doneBytes = 0;
        long doneRecords = 0;
        var queue = new ConcurrentQueue<FileChunk>(chunks);
        var workers = new WorkerState[Math.Max(1, Math.Min(_request.Workers, chunks.Count))];
        Parallel.For(0, workers.Length, new ParallelOptions { MaxDegreeOfParallelism = workers.Length, CancellationToken = cancellationToken }, w =>
        {
            var state = workers[w] = new WorkerState(files.Count, new SpillWriter(_spillDirectory, w));
            var classifier = new PlayClassifier(_request.Cities, _request.AnonymousIps, _request.MaxAccuracyRadiusKm);
            using SpillWriter spill = state.Spill;
            while (queue.TryDequeue(out FileChunk? chunk))
            {
                long records = ClassifyChunk(chunk, classifier, state, cancellationToken);
                long bytes = Interlocked.Add(ref doneBytes, chunk.End - chunk.Start);
                long total = Interlocked.Add(ref doneRecords, records);
                _request.Progress?.Report(new ReplayProgress("classify", bytes, totalBytes, total));
            }
        });

        var counters = new ReasonCounters();
        var perFile = new long[files.Count];
        long? first = null, last = null;
        var buckets = new SortedSet<long>();
        foreach (WorkerState state in workers.Where(s => s is not null))
        {
            counters.Add(state.Counters);
            for (int i = 0; i < perFile.Length; i++)
            {
                perFile[i] += state.RecordsPerFile[i];
            }

            if (state.MinPlayedAt <= state.MaxPlayedAt)
            {
                first = Math.Min(first ?? long.MaxValue, state.MinPlayedAt);
                last = Math.Max(last ?? long.MinValue, state.MaxPlayedAt);
            }

            buckets.UnionWith(state.Spill.Buckets);
        }

        return new ClassifyResult(counters, perFile, first, last, [.. buckets], workers.Length, _bucketMs);
    }

    private long ClassifyChunk(FileChunk chunk, PlayClassifier classifier, WorkerState state, CancellationToken cancellationToken)
    {
        using var reader = new JsonlLineReader(chunk);
        long records = 0;
        while (reader.TryReadLine(out ReadOnlySpan<byte> line, out long offset))
        {
            if ((++records & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            IneligibleReason reason = classifier.Classify(line, out PlayFields fields, out GeoPoint? _, out int cityRecord);
            state.Counters.Count(reason);
            if (fields.HasPlayedAt)
            {
                state.MinPlayedAt = Math.Min(state.MinPlayedAt, fields.PlayedAtMs);
                state.MaxPlayedAt = Math.Max(state.MaxPlayedAt, fields.PlayedAtMs);
            }

            if (reason == IneligibleReason.None)
            {
                long bucket = Math.DivRem(fields.PlayedAtMs, _bucketMs, out long rem) - (rem < 0 ? 1 : 0);
                state.Spill.Write(bucket, fields.PlayedAtMs, cityRecord, fields.TrackId, fields.EventId);
            }
            else if (reason.IsDeadLettered() && _request.DeadLetters is { } deadLetters)
            {
                deadLetters.Write(new DeadLetter(
                    reason,
                    _request.Clock.GetUtcNow(),
                    string.Create(CultureInfo.InvariantCulture, $"{chunk.Path}@{offset}"),
                    line.Length > DeadLetter.MaxPayloadBytes ? line[..DeadLetter.MaxPayloadBytes].ToArray() : line.ToArray()));
            }
        }

        state.RecordsPerFile[chunk.FileIndex] += records;
        return records;
    }

    private sealed class WorkerState(int files, SpillWriter spill)
    {
        public ReasonCounters Counters { get; } = new();

        public long[] RecordsPerFile { get; } = new long[files];

        public SpillWriter Spill { get; } = spill;

        public long MinPlayedAt { get; set; } = long.MaxValue;

        public long MaxPlayedAt { get; set; } = long.MinValue;
    }
}

internal sealed record ClassifyResult(
    ReasonCounters Counters,
    long[] RecordsPerFile,
    long? FirstPlayedAtMs,
    long? LastPlayedAtMs,
    IReadOnlyList<long> Buckets,
    int Workers,
    long BucketMs);
