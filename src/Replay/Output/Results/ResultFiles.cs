using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Summary;
using ListeningTogether.Replay.Report;

namespace ListeningTogether.Replay.Output.Results;

/// <summary>
/// The files of a replay or merge output: co-plays stream into <c>coplays.jsonl</c> and <c>coplays.parquet</c> in a
/// work folder; <see cref="CompleteAsync"/> adds <c>summary.json</c> and <c>report.html</c> there and only then
/// moves the four into the output folder, so an output folder never holds a partial file.
/// </summary>
internal sealed class ResultFiles : IAsyncDisposable
{
    public const string CoPlaysJsonl = "coplays.jsonl";
    public const string CoPlaysParquet = "coplays.parquet";
    public const string Summary = "summary.json";
    public const string Report = "report.html";

    private readonly string _work;
    private readonly FileStream _jsonl;
    private readonly FileStream _parquetFile;
    private readonly CoPlayParquetWriter _parquet;

    private ResultFiles(string work, FileStream jsonl, FileStream parquetFile, CoPlayParquetWriter parquet)
    {
        _work = work;
        _jsonl = jsonl;
        _parquetFile = parquetFile;
        _parquet = parquet;
    }

    /// <summary>Starts the result files in <paramref name="work"/>, an existing folder on the output folder's file system.</summary>
    public static async Task<ResultFiles> CreateAsync(string work, IReadOnlyDictionary<string, string> parquetMetadata, CancellationToken cancellationToken)
    {
        var jsonl = new FileStream(Path.Combine(work, CoPlaysJsonl), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var parquetFile = new FileStream(Path.Combine(work, CoPlaysParquet), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        try
        {
            CoPlayParquetWriter parquet = await CoPlayParquetWriter.CreateAsync(parquetFile, parquetMetadata, cancellationToken).ConfigureAwait(false);
            return new ResultFiles(work, jsonl, parquetFile, parquet);
        }
        catch
        {
            await parquetFile.DisposeAsync().ConfigureAwait(false);
            await jsonl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Appends co-plays in result order, and the same co-plays already formatted as JSONL lines.</summary>
    public async ValueTask WriteAsync(IReadOnlyList<CoPlay> coPlays, ReadOnlyMemory<byte> jsonl, CancellationToken cancellationToken)
    {
        await WriteJsonlAsync(jsonl, cancellationToken).ConfigureAwait(false);
        await WriteParquetAsync(coPlays, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends JSONL lines in result order; the Parquet half may be written by another thread, one call at a time.</summary>
    public ValueTask WriteJsonlAsync(ReadOnlyMemory<byte> jsonl, CancellationToken cancellationToken) =>
        _jsonl.WriteAsync(jsonl, cancellationToken);

    /// <summary>Appends co-plays in result order to the Parquet file.</summary>
    public ValueTask WriteParquetAsync(IReadOnlyList<CoPlay> coPlays, CancellationToken cancellationToken) =>
        _parquet.WriteAsync(coPlays, cancellationToken);

    /// <summary>As above, with each co-play's place ids at its index.</summary>
    public ValueTask WriteParquetAsync(IReadOnlyList<CoPlay> coPlays, IReadOnlyList<CoPlayPlaces> places, CancellationToken cancellationToken) =>
        _parquet.WriteAsync(coPlays, places, cancellationToken);

    /// <summary>Finishes the co-play files, writes the summary and the report, and moves all four into <paramref name="outputDirectory"/>.</summary>
    /// <param name="site">The site the report's minutes link to, if any.</param>
    public async Task CompleteAsync(ReplaySummary summary, string outputDirectory, PlaybackSite? site, CancellationToken cancellationToken)
    {
        await _parquet.CompleteAsync(cancellationToken).ConfigureAwait(false);
        await _parquetFile.DisposeAsync().ConfigureAwait(false);
        await _jsonl.DisposeAsync().ConfigureAwait(false);

        using (FileStream file = File.Create(Path.Combine(_work, Summary)))
        {
            SummaryJson.Write(file, summary);
        }

        var report = new StreamWriter(Path.Combine(_work, Report), false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        await using (report.ConfigureAwait(false))
        {
            ReportHtml.Write(report, summary, site);
        }

        foreach (string name in new[] { CoPlaysParquet, CoPlaysJsonl, Summary, Report })
        {
            File.Move(Path.Combine(_work, name), Path.Combine(outputDirectory, name), overwrite: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _parquet.DisposeAsync().ConfigureAwait(false);
        await _parquetFile.DisposeAsync().ConfigureAwait(false);
        await _jsonl.DisposeAsync().ConfigureAwait(false);
    }
}
