using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Eligibility;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Replay.Archive;
using ListeningTogether.Replay.Input;
using ListeningTogether.Replay.Output.Summary;
using ListeningTogether.Replay.Spill;

namespace ListeningTogether.Replay;

/// <summary>
/// Replay's first pass, on every core: read the input parts (JSONL chunks, Parquet row groups), classify each
/// record, count outcomes, dead-letter what must be, and spill eligible plays into time buckets so the second
/// pass holds one bucket at a time. Records with a valid playedAt outside the request's range are only counted as
/// such; with <see cref="ReplayRequest.SkipBadFiles"/>, unreadable files (or row groups) are listed and left out.
/// </summary>
internal sealed class ClassifyPass
{
    private readonly ReplayRequest _request;
    private readonly long _bucketMs;
    private readonly string _spillDirectory;
    private readonly Range.EventTimeRange _range;
    private readonly Func<string, string> _sourceName;
    private readonly bool _trustStatistics;
    private readonly HashSet<(int FileIndex, long Start)> _deadLettered;
    private readonly SpillMemory _memory;
    private readonly TaskCompletionSource<int> _workers = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<long> _ready = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });

    /// <param name="sourceName">What dead-letter entries call an input file (a downloaded blob by its URL).</param>
    /// <param name="trustStatistics">Whether Parquet row groups' played_at statistics say which buckets they can hold.</param>
    /// <param name="deadLettered">Parts whose dead letters an earlier attempt wrote (filled in here too), so a rerun does not write them twice.</param>
    public ClassifyPass(
        ReplayRequest request,
        long bucketMs,
        string spillDirectory,
        Func<string, string>? sourceName = null,
        bool trustStatistics = true,
        HashSet<(int FileIndex, long Start)>? deadLettered = null)
    {
        _request = request;
        _range = request.Range;
        _bucketMs = bucketMs;
        _spillDirectory = spillDirectory;
        _sourceName = sourceName ?? (path => path);
        _trustStatistics = trustStatistics;
        _deadLettered = deadLettered ?? [];
        _memory = new SpillMemory(request.SpillMemoryBytes);
    }

    /// <summary>The spilled plays kept in memory (those of a bucket are taken when it is matched).</summary>
    public SpillMemory Memory => _memory;

    /// <summary>
    /// Buckets whose plays are all spilled, in ascending order, while the pass runs: a bucket comes out once every
    /// part that can hold plays of it is done. Completed when the pass ends (with its error if it fails).
    /// </summary>
    public ChannelReader<long> ReadyBuckets => _ready.Reader;

    /// <summary>How many workers spill (each to its own files); known once <see cref="RunAsync"/> has planned the parts.</summary>
    public Task<int> Workers => _workers.Task;

    public async Task<ClassifyResult> RunAsync(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        try
        {
            ClassifyResult result = await ClassifyAsync(files, cancellationToken).ConfigureAwait(false);
            _ready.Writer.TryComplete();
            return result;
        }
        catch (Exception e)
        {
            _workers.TrySetException(e);
            _ready.Writer.TryComplete(e);
            throw;
        }
    }

    private async Task<ClassifyResult> ClassifyAsync(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var skipped = new List<(int FileIndex, SkippedFile File)>();
        List<InputPart> parts = InputPlan.Parts(files, _request.SkipBadFiles, _trustStatistics ? BucketOf : null, skipped, cancellationToken);

        // Parts in the order of their first bucket, so buckets become ready early and in turn.
        parts = [.. parts.OrderBy(p => p.FirstBucket)];
        var readiness = new BucketReadiness([.. parts.Select(p => p.FirstBucket)], _ready.Writer);
        long totalBytes = parts.Sum(p => p.Bytes);
        long doneBytes = 0;
        long doneRecords = 0;
        var queue = new ConcurrentQueue<(InputPart Part, int Number)>(parts.Select((p, i) => (p, i)));
        var workers = new WorkerState[Math.Max(1, Math.Min(_request.Workers, parts.Count))];
        _workers.TrySetResult(workers.Length);

        // Workers on threads of their own: the thread pool stays free for matching the buckets that become ready.
        // The first failure stops the other workers.
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAll(Enumerable.Range(0, workers.Length).Select(w => Task.Factory.StartNew(
            () =>
            {
                try
                {
                    Classify(w, failed.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failed.Cancel();
                    throw;
                }
            },
            failed.Token,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default))).ConfigureAwait(false);

        void Classify(int w, CancellationToken token)
        {
            var state = workers[w] = new WorkerState(files.Count, new SpillWriter(_spillDirectory, w, _memory));
            using SpillWriter spill = state.Spill;
            using (var parquet = new ParquetWorker(_request))
            {
                PlayClassifier? classifier = null;
                while (queue.TryDequeue(out (InputPart Part, int Number) next))
                {
                    InputPart part = next.Part;
                    bool deadLetter;
                    lock (_deadLettered)
                    {
                        deadLetter = !_deadLettered.Contains(part.Identity);
                    }

                    long records = part switch
                    {
                        JsonlPart jsonl => ClassifyChunk(
                            jsonl.Chunk,
                            classifier ??= new PlayClassifier(_request.Cities, _request.AnonymousIps, _request.MaxAccuracyRadiusKm),
                            state,
                            deadLetter,
                            token),
                        ParquetPart rowGroup => ClassifyRowGroup(rowGroup, parquet, state, deadLetter),
                        _ => throw new InvalidOperationException($"Unknown input part {part.GetType().Name}."),
                    };
                    lock (_deadLettered)
                    {
                        // Only a part read to its end counts as dead-lettered: a rerun writes those of a part it left halfway again.
                        _deadLettered.Add(part.Identity);
                    }

                    IReadOnlyList<long> written = spill.EndPart();
                    readiness.Complete(next.Number, part.FirstBucket, written, part.Describe);
                    spill.CloseBelow(readiness.HandedOutBelow);
                    long bytes = Interlocked.Add(ref doneBytes, part.Bytes);
                    long total = Interlocked.Add(ref doneRecords, records);
                    _request.Progress?.Report(new ReplayProgress("classify", bytes, totalBytes, total));
                    token.ThrowIfCancellationRequested();
                }
            }
        }

        var counters = new ReasonCounters();
        long outsideRange = 0;
        var perFile = new long[files.Count];
        long? first = null, last = null;
        var buckets = new SortedSet<long>();
        foreach (WorkerState state in workers.Where(s => s is not null))
        {
            counters.Add(state.Counters);
            outsideRange += state.OutsideRange;
            skipped.AddRange(state.Skipped);
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

        return new ClassifyResult(counters, perFile, first, last, [.. buckets])
        {
            OutsideRange = outsideRange,
            SkippedFiles = [.. skipped.OrderBy(s => s.FileIndex).ThenBy(s => s.File.Reason, StringComparer.Ordinal).Select(s => s.File).Distinct()],
        };
    }

    private long BucketOf(long playedAtMs) => Math.DivRem(playedAtMs, _bucketMs, out long rem) - (rem < 0 ? 1 : 0);

    private long ClassifyRowGroup(ParquetPart part, ParquetWorker worker, WorkerState state, bool deadLetter)
    {
        ParquetPlayColumns rows = worker.Columns;
        try
        {
            ParquetPlayFile file = worker.Open(part.FileIndex, part.Path);
            file.ReadRowGroup(part.RowGroup, rows);
        }
        catch (InputFileException e) when (_request.SkipBadFiles)
        {
            // The file's other row groups still count: only this one is left out.
            state.Skipped.Add((part.FileIndex, new SkippedFile(part.Path, e.Message)));
            return 0;
        }

        ParquetRowOutcomes outcomes = worker.Outcomes;
        worker.Classifier.Classify(rows, outcomes);
        for (int i = 0; i < rows.Count; i++)
        {
            IneligibleReason reason = outcomes.Reasons[i];
            long playedAtMs = outcomes.PlayedAtMs[i];
            if (_range.Excludes(reason, playedAtMs, rows.PlayedAtTicks[i]))
            {
                state.OutsideRange++;
                continue;
            }

            state.Counters.Count(reason);
            if (playedAtMs != ParquetRowOutcomes.NoPlayedAt)
            {
                state.MinPlayedAt = Math.Min(state.MinPlayedAt, playedAtMs);
                state.MaxPlayedAt = Math.Max(state.MaxPlayedAt, playedAtMs);
            }

            if (reason == IneligibleReason.None)
            {
                state.Spill.Write(BucketOf(playedAtMs), playedAtMs, outcomes.Places[i], rows.TrackIds[i], rows.EventIds[i]);
            }
            else if (deadLetter && reason.IsDeadLettered() && _request.DeadLetters is { } deadLetters)
            {
                byte[] payload = ParquetDeadLetterPayload.Create(rows, i);
                deadLetters.Write(new DeadLetter(
                    reason,
                    _request.Clock.GetUtcNow(),
                    string.Create(CultureInfo.InvariantCulture, $"{_sourceName(part.Path)}#row={part.FirstRow + i}"),
                    payload.Length > DeadLetter.MaxPayloadBytes ? payload.AsMemory(0, DeadLetter.MaxPayloadBytes) : payload));
            }
        }

        state.RecordsPerFile[part.FileIndex] += rows.Count;
        return rows.Count;
    }

    private long ClassifyChunk(FileChunk chunk, PlayClassifier classifier, WorkerState state, bool deadLetter, CancellationToken cancellationToken)
    {
        using var reader = new JsonlLineReader(chunk);
        long records = 0;
        while (reader.TryReadLine(out ReadOnlySpan<byte> line, out long offset))
        {
            if ((++records & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            IneligibleReason reason = classifier.Classify(line, out PlayFields fields, out GeoPoint? point);
            if (_range.Excludes(reason, fields.HasPlayedAt, fields.PlayedAtMs, line))
            {
                state.OutsideRange++;
                continue;
            }

            state.Counters.Count(reason);
            if (fields.HasPlayedAt)
            {
                state.MinPlayedAt = Math.Min(state.MinPlayedAt, fields.PlayedAtMs);
                state.MaxPlayedAt = Math.Max(state.MaxPlayedAt, fields.PlayedAtMs);
            }

            if (reason == IneligibleReason.None)
            {
                state.Spill.Write(BucketOf(fields.PlayedAtMs), fields.PlayedAtMs, point!.PlaceId, fields.TrackId, fields.EventId);
            }
            else if (deadLetter && reason.IsDeadLettered() && _request.DeadLetters is { } deadLetters)
            {
                deadLetters.Write(new DeadLetter(
                    reason,
                    _request.Clock.GetUtcNow(),
                    string.Create(CultureInfo.InvariantCulture, $"{_sourceName(chunk.Path)}@{offset}"),
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

        public long OutsideRange { get; set; }

        public List<(int FileIndex, SkippedFile File)> Skipped { get; } = [];
    }
}
