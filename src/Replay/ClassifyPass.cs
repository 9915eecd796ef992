using System.Collections.Concurrent;
using System.Globalization;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Eligibility;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Replay.Archive;
using ListeningTogether.Replay.Input;
using ListeningTogether.Replay.Output;
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

    /// <param name="sourceName">What dead-letter entries call an input file (a downloaded blob by its URL).</param>
    public ClassifyPass(ReplayRequest request, long bucketMs, string spillDirectory, Func<string, string>? sourceName = null)
    {
        _request = request;
        _range = request.Range;
        _bucketMs = bucketMs;
        _spillDirectory = spillDirectory;
        _sourceName = sourceName ?? (path => path);
    }

    public async Task<ClassifyResult> RunAsync(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var skipped = new List<(int FileIndex, SkippedFile File)>();
        List<InputPart> parts = Plan(files, skipped, cancellationToken);
        long totalBytes = parts.Sum(p => p.Bytes);
        long doneBytes = 0;
        long doneRecords = 0;
        var queue = new ConcurrentQueue<InputPart>(parts);
        var workers = new WorkerState[Math.Max(1, Math.Min(_request.Workers, parts.Count))];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = workers.Length, CancellationToken = cancellationToken };
        await Parallel.ForAsync(0, workers.Length, parallel, (w, token) =>
        {
            var state = workers[w] = new WorkerState(files.Count, new SpillWriter(_spillDirectory, w));
            using SpillWriter spill = state.Spill;
            using (var parquet = new ParquetWorker(_request))
            {
                PlayClassifier? classifier = null;
                while (queue.TryDequeue(out InputPart? part))
                {
                    long records = part switch
                    {
                        JsonlPart jsonl => ClassifyChunk(
                            jsonl.Chunk,
                            classifier ??= new PlayClassifier(_request.Cities, _request.AnonymousIps, _request.MaxAccuracyRadiusKm),
                            state,
                            token),
                        ParquetPart rowGroup => ClassifyRowGroup(rowGroup, parquet, state),
                        _ => throw new InvalidOperationException($"Unknown input part {part.GetType().Name}."),
                    };
                    long bytes = Interlocked.Add(ref doneBytes, part.Bytes);
                    long total = Interlocked.Add(ref doneRecords, records);
                    _request.Progress?.Report(new ReplayProgress("classify", bytes, totalBytes, total));
                    token.ThrowIfCancellationRequested();
                }
            }

            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);

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

        return new ClassifyResult(counters, perFile, first, last, [.. buckets], workers.Length, _bucketMs)
        {
            OutsideRange = outsideRange,
            SkippedFiles = [.. skipped.OrderBy(s => s.FileIndex).ThenBy(s => s.File.Reason, StringComparer.Ordinal).Select(s => s.File).Distinct()],
        };
    }

    /// <summary>
    /// Splits the inputs into parts the workers take one at a time: JSONL files into line-aligned chunks, Parquet
    /// files into their row groups (opening each Parquet file here, so a corrupt one fails, or is skipped, before any work).
    /// </summary>
    private List<InputPart> Plan(IReadOnlyList<string> files, List<(int FileIndex, SkippedFile File)> skipped, CancellationToken cancellationToken)
    {
        var parts = new List<InputPart>();
        for (int i = 0; i < files.Count; i++)
        {
            if (!InputFiles.IsParquet(files[i]))
            {
                try
                {
                    parts.AddRange([.. FileChunk.Split(i, files[i], 32L << 20).Select(c => new JsonlPart(c))]);
                }
                catch (Exception e) when (_request.SkipBadFiles && e is IOException or UnauthorizedAccessException)
                {
                    skipped.Add((i, new SkippedFile(files[i], $"'{files[i]}' cannot be read: {e.Message}")));
                }

                continue;
            }

            ParquetPlayFile file;
            try
            {
                file = ParquetPlayFile.Open(files[i]);
            }
            catch (InputFileException e) when (_request.SkipBadFiles)
            {
                skipped.Add((i, new SkippedFile(files[i], e.Message)));
                continue;
            }

            long fileBytes = new FileInfo(files[i]).Length;
            cancellationToken.ThrowIfCancellationRequested();
            using (file)
            {
                long totalRows = Math.Max(1, file.RowGroupRows.Sum());
                long firstRow = 0;
                for (int g = 0; g < file.RowGroupRows.Count; g++)
                {
                    // Progress only: a row group's share of the file's bytes by its rows.
                    parts.Add(new ParquetPart(i, files[i], g, firstRow, fileBytes * file.RowGroupRows[g] / totalRows));
                    firstRow += file.RowGroupRows[g];
                }
            }
        }

        return parts;
    }

    private long ClassifyRowGroup(ParquetPart part, ParquetWorker worker, WorkerState state)
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
                long bucket = Math.DivRem(playedAtMs, _bucketMs, out long rem) - (rem < 0 ? 1 : 0);
                state.Spill.Write(bucket, playedAtMs, outcomes.CityRecords[i], rows.TrackIds[i], rows.EventIds[i]);
            }
            else if (reason.IsDeadLettered() && _request.DeadLetters is { } deadLetters)
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
                long bucket = Math.DivRem(fields.PlayedAtMs, _bucketMs, out long rem) - (rem < 0 ? 1 : 0);
                state.Spill.Write(bucket, fields.PlayedAtMs, cityRecord, fields.TrackId, fields.EventId);
            }
            else if (reason.IsDeadLettered() && _request.DeadLetters is { } deadLetters)
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

    /// <summary>A piece of input one worker classifies at a time; <see cref="Bytes"/> drives the progress.</summary>
    private abstract record InputPart(long Bytes);

    private sealed record JsonlPart(FileChunk Chunk) : InputPart(Chunk.End - Chunk.Start);

    private sealed record ParquetPart(int FileIndex, string Path, int RowGroup, long FirstRow, long Bytes) : InputPart(Bytes);

    /// <summary>One worker's Parquet state: its own open files (readers are not thread-safe), buffers and classifier.</summary>
    private sealed class ParquetWorker(ReplayRequest request) : IDisposable
    {
        private readonly Dictionary<int, ParquetPlayFile> _files = [];
        private ParquetPlayClassifier? _classifier;
        private ParquetPlayColumns? _columns;
        private ParquetRowOutcomes? _outcomes;

        public ParquetPlayClassifier Classifier =>
            _classifier ??= new ParquetPlayClassifier(request.Cities, request.AnonymousIps, request.MaxAccuracyRadiusKm);

        public ParquetPlayColumns Columns => _columns ??= new ParquetPlayColumns();

        public ParquetRowOutcomes Outcomes => _outcomes ??= new ParquetRowOutcomes();

        public ParquetPlayFile Open(int fileIndex, string path)
        {
            if (!_files.TryGetValue(fileIndex, out ParquetPlayFile? file))
            {
                file = ParquetPlayFile.Open(path);
                _files.Add(fileIndex, file);
            }

            return file;
        }

        public void Dispose()
        {
            foreach (ParquetPlayFile file in _files.Values)
            {
                file.Dispose();
            }
        }
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

internal sealed record ClassifyResult(
    ReasonCounters Counters,
    long[] RecordsPerFile,
    long? FirstPlayedAtMs,
    long? LastPlayedAtMs,
    IReadOnlyList<long> Buckets,
    int Workers,
    long BucketMs)
{
    /// <summary>Records with a valid playedAt outside the request's range (counted in no other way).</summary>
    public long OutsideRange { get; init; }

    /// <summary>Files (or row groups) left out by <see cref="ReplayRequest.SkipBadFiles"/>, in input order.</summary>
    public IReadOnlyList<SkippedFile> SkippedFiles { get; init; } = [];
}
