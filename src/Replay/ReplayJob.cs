using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Input;
using ListeningTogether.Replay.Output;

namespace ListeningTogether.Replay;

/// <summary>
/// Batch replay, exact for any row order: classify every record (both cores), then match time bucket by time
/// bucket in bounded memory, writing <c>coplays.parquet</c>, <c>coplays.jsonl</c> and <c>summary.json</c> atomically
/// into the output folder.
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
        IReadOnlyList<string> files = InputFiles.Expand(_request.Inputs);
        Directory.CreateDirectory(_request.OutputDirectory);
        string work = Path.Combine(_request.TempDirectory ?? _request.OutputDirectory, $".replay-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            // Half-minute buckets: one of a 100-million-play hour holds about 75 MB of spilled plays while matched.
            long bucketMs = (long)_request.WindowMs * Math.Max(1, 30_000 / _request.WindowMs);
            ClassifyResult classified = await new ClassifyPass(_request, bucketMs, work).RunAsync(files, cancellationToken).ConfigureAwait(false);

            string coPlaysTemp = Path.Combine(work, "coplays.jsonl");
            string parquetTemp = Path.Combine(work, "coplays.parquet");
            MatchTotals totals;
            var output = new FileStream(coPlaysTemp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using (output.ConfigureAwait(false))
            {
                var parquetOutput = new FileStream(parquetTemp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
                await using (parquetOutput.ConfigureAwait(false))
                {
                    CoPlayParquetWriter parquet = await CoPlayParquetWriter.CreateAsync(parquetOutput, CoPlayParquetWriter.Metadata(_request), cancellationToken).ConfigureAwait(false);
                    await using (parquet.ConfigureAwait(false))
                    {
                        totals = await new MatchPass(_request, work).RunAsync(
                            classified,
                            async bucket =>
                            {
                                await output.WriteAsync(bucket.Jsonl, cancellationToken).ConfigureAwait(false);
                                await parquet.WriteAsync(bucket.CoPlays, cancellationToken).ConfigureAwait(false);
                            },
                            cancellationToken).ConfigureAwait(false);
                        await parquet.CompleteAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            ReplaySummary summary = Summarize(files, classified, totals.DistinctPlays, totals.Windows, totals.CoPlays);
            string summaryTemp = Path.Combine(work, "summary.json");
            using (var summaryFile = File.Create(summaryTemp))
            {
                SummaryJson.Write(summaryFile, summary);
            }

            File.Move(parquetTemp, Path.Combine(_request.OutputDirectory, "coplays.parquet"), overwrite: true);
            File.Move(coPlaysTemp, Path.Combine(_request.OutputDirectory, "coplays.jsonl"), overwrite: true);
            File.Move(summaryTemp, Path.Combine(_request.OutputDirectory, "summary.json"), overwrite: true);
            return summary;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private ReplaySummary Summarize(IReadOnlyList<string> files, ClassifyResult classified, long distinctPlays, long windows, long coPlays)
    {
        var ineligible = IneligibleReasons.Batch.ToDictionary(r => r.Code(), r => classified.Counters[r]);
        return new ReplaySummary(
            classified.Counters.Records,
            classified.Counters.Eligible,
            distinctPlays,
            classified.Counters.Eligible - distinctPlays,
            ineligible,
            coPlays,
            windows,
            classified.FirstPlayedAtMs,
            classified.LastPlayedAtMs,
            new ReplaySettings(_request.WindowMs, _request.MinDistanceKm, _request.MaxAccuracyRadiusKm, _request.AnonymousIps?.Path),
            new CityDatabaseInfo(_request.Cities.DatabaseType, _request.Cities.BuildTime),
            files.Select((f, i) => new InputFileSummary(f, classified.RecordsPerFile[i])).ToList(),
            []);
    }
}
