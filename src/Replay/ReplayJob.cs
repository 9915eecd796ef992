using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Analytics;
using ListeningTogether.Replay.Input;
using ListeningTogether.Replay.Output.Results;
using ListeningTogether.Replay.Output.Summary;
using ListeningTogether.Replay.Range;
using ListeningTogether.Replay.Spill;

namespace ListeningTogether.Replay;

/// <summary>
/// Batch replay, exact for any row order: classify every record (both cores), then match time bucket by time
/// bucket in bounded memory, writing <c>coplays.parquet</c>, <c>coplays.jsonl</c>, <c>summary.json</c> and
/// <c>report.html</c> atomically into the output folder.
/// </summary>
public sealed class ReplayJob
{
    private readonly ReplayRequest _request;

    public ReplayJob(ReplayRequest request)
    {
        _request = request;
    }

    public async Task<ReplaySummary> RunAsync(CancellationToken cancellationToken = default)
    {
        using DownloadedBlobInputs inputs = await BlobInputs.DownloadAsync(
            _request.Inputs, _request.BlobInputs, _request.TempDirectory ?? _request.OutputDirectory, cancellationToken).ConfigureAwait(false);
        var missing = new List<SkippedFile>();
        IReadOnlyList<string> files = HourPartitions.Prune(ExpandInputs(inputs.Inputs, missing), _request.Range);
        Directory.CreateDirectory(_request.OutputDirectory);
        var deadLettered = new HashSet<(int FileIndex, long Start)>();
        try
        {
            return await RunOnceAsync(files, inputs, missing, trustStatistics: true, deadLettered, cancellationToken).ConfigureAwait(false);
        }
        catch (RowGroupStatisticsException)
        {
            // A writer's statistics were wrong: everything again, each bucket matched only once every part is read.
            return await RunOnceAsync(files, inputs, missing, trustStatistics: false, deadLettered, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ReplaySummary> RunOnceAsync(
        IReadOnlyList<string> files,
        DownloadedBlobInputs inputs,
        List<SkippedFile> missing,
        bool trustStatistics,
        HashSet<(int FileIndex, long Start)> deadLettered,
        CancellationToken cancellationToken)
    {
        string work = Path.Combine(_request.TempDirectory ?? _request.OutputDirectory, $".replay-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            // Ten-second buckets: one of a 10-million-play hour holds about 2.5 MB of spilled plays (25 MB at 100
            // million), so matching it stays in the CPU caches far more than 30-second buckets did (8.8 -> 8.4 CPU s).
            long bucketMs = (long)_request.WindowMs * Math.Max(1, 10_000 / _request.WindowMs);
            var classify = new ClassifyPass(_request, bucketMs, work, inputs.NameOf, trustStatistics, deadLettered);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

            // The first pass starts at once; the result files are set up while it reads, and its buckets are matched
            // as soon as every part that can hold their plays is read.
            Task<ClassifyResult> classifying = classify.RunAsync(files, stop.Token);
            try
            {
                return await MatchAndWriteAsync(classify, classifying, [.. files.Select(inputs.NameOf)], missing, bucketMs, work, stop.Token).ConfigureAwait(false);
            }
            catch (Exception)
            {
                await StopAsync(stop, classifying).ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private async Task<ReplaySummary> MatchAndWriteAsync(
        ClassifyPass classify,
        Task<ClassifyResult> classifying,
        IReadOnlyList<string> fileNames,
        List<SkippedFile> missing,
        long bucketMs,
        string work,
        CancellationToken cancellationToken)
    {
        // The results go to their own work folder beside the output: the spill folder may be elsewhere.
        string results = Path.Combine(_request.OutputDirectory, $".replay-{Guid.NewGuid():N}");
        Directory.CreateDirectory(results);
        try
        {
            var statistics = new CoPlayStatistics();
            ReplaySettings settings = Settings();
            var cityDatabase = new CityDatabaseInfo(_request.Cities.DatabaseType, _request.Cities.BuildTime);
            ResultFiles output = await ResultFiles.CreateAsync(results, CoPlayParquetWriter.Metadata(settings, cityDatabase), cancellationToken).ConfigureAwait(false);
            await using (output.ConfigureAwait(false))
            {
                // The Parquet rows and the statistics are the serial step's costly part: a background task does
                // them in bucket order while the next buckets are matched. A bucket's JSONL (a lent buffer) is
                // written before its buffer goes back.
                var rowsAndStatistics = new OrderedBackgroundWork<(IReadOnlyList<CoPlay> CoPlays, IReadOnlyList<CoPlayPlaces> Places, IReadOnlyList<MinutePlays> PlaysPerMinute)>(
                    capacity: 4,
                    async (bucket, stop) =>
                    {
                        await output.WriteParquetAsync(bucket.CoPlays, bucket.Places, stop).ConfigureAwait(false);
                        statistics.Add(bucket.CoPlays, bucket.Places);
                        foreach (MinutePlays minute in bucket.PlaysPerMinute)
                        {
                            statistics.AddEligiblePlays(minute.MinuteStartMs, minute.Plays);
                        }
                    },
                    cancellationToken);
                MatchTotals totals;
                await using (rowsAndStatistics.ConfigureAwait(false))
                {
                    totals = await new MatchPass(_request, work, classify.Memory).RunAsync(
                        classify,
                        classifying,
                        bucketMs,
                        async bucket =>
                        {
                            await output.WriteJsonlAsync(bucket.Jsonl.WrittenMemory, cancellationToken).ConfigureAwait(false);
                            await rowsAndStatistics.PostAsync((bucket.CoPlays, bucket.Places, bucket.PlaysPerMinute), cancellationToken).ConfigureAwait(false);
                        },
                        cancellationToken).ConfigureAwait(false);
                    await rowsAndStatistics.CompleteAsync().ConfigureAwait(false);
                }

                ClassifyResult classified = await classifying.ConfigureAwait(false);
                ReplaySummary summary = Summarize(fileNames, classified, totals, statistics, settings, cityDatabase, [.. missing, .. classified.SkippedFiles]);
                await output.CompleteAsync(summary, _request.OutputDirectory, _request.PlaybackSite, cancellationToken).ConfigureAwait(false);
                return summary;
            }
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }

    /// <summary>
    /// Stops the first pass after matching or writing failed, and waits for it: the error reported is the first pass's
    /// own when it failed first (matching then only saw it end), otherwise the one being thrown.
    /// </summary>
    private static async Task StopAsync(CancellationTokenSource stop, Task<ClassifyResult> classifying)
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await classifying.ConfigureAwait(false);
        }
        catch (Exception classifyError) when (classifyError is not OperationCanceledException)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(classifyError);
        }
        catch (OperationCanceledException)
        {
            // Stopped because matching failed: matching's error is the one to report.
        }
    }

    /// <summary>The play files of the inputs; with <see cref="ReplayRequest.SkipBadFiles"/> an input that does not exist is listed, not fatal.</summary>
    private List<string> ExpandInputs(IReadOnlyList<string> inputs, List<SkippedFile> missing)
    {
        var files = new List<string>();
        foreach (string input in inputs)
        {
            try
            {
                files.AddRange(InputFiles.Expand([input]));
            }
            catch (FileNotFoundException e) when (_request.SkipBadFiles)
            {
                missing.Add(new SkippedFile(input, e.Message));
            }
        }

        return files.Distinct(StringComparer.Ordinal).ToList();
    }

    private ReplaySettings Settings() => new(
        _request.WindowMs,
        _request.MinDistanceKm,
        _request.MaxAccuracyRadiusKm,
        _request.AnonymousIps?.Path,
        _request.Range.From is null ? null : _request.Range.FromMs,
        _request.Range.To is null ? null : _request.Range.ToMs);

    private static ReplaySummary Summarize(
        IReadOnlyList<string> files,
        ClassifyResult classified,
        MatchTotals totals,
        CoPlayStatistics statistics,
        ReplaySettings settings,
        CityDatabaseInfo cityDatabase,
        IReadOnlyList<SkippedFile> skipped)
    {
        var ineligible = IneligibleReasons.Batch.ToDictionary(r => r.Code(), r => classified.Counters[r]);
        return new ReplaySummary(
            classified.Counters.Records + classified.OutsideRange,
            classified.Counters.Eligible,
            totals.DistinctPlays,
            classified.Counters.Eligible - totals.DistinctPlays,
            ineligible,
            classified.OutsideRange,
            totals.CoPlays,
            totals.Windows,
            classified.FirstPlayedAtMs,
            classified.LastPlayedAtMs,
            settings,
            cityDatabase,
            [.. files.Select((f, i) => new InputFileSummary(f, classified.RecordsPerFile[i])).Where(i => i.Records > 0 || !skipped.Any(s => s.File == i.Path))],
            skipped,
            statistics.TopTracks(),
            statistics.TopCityPairs(),
            statistics.PerMinute());
    }
}
