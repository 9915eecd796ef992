using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Replay.Archive;
using ListeningTogether.Replay.Output.Results;
using Microsoft.Extensions.Logging;

namespace ListeningTogether.Replay.Output.Sinks;

/// <summary>
/// Writes co-plays as result Parquet files, one per UTC minute of window start (<see cref="CoPlayMinuteFiles"/>),
/// idempotent on (window start, track). Each call rewrites the whole file of every minute it touches, sorted as
/// DESIGN.md's results are, to a temporary name that is flushed to disk and renamed into place: a reader never sees
/// a partial file and the rows are durable when the call returns, before the pipeline acknowledges the window.
/// A minute not in memory whose file exists (a restart re-emitting windows) is read back first, and a row for the
/// same key replaces the old one. Windows arrive in time order, so only the latest minute stays in memory.
/// </summary>
public sealed partial class ParquetCoPlaySink : ICoPlaySink, IDisposable
{
    private readonly string _root;
    private readonly IReadOnlyDictionary<string, string> _metadata;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly Dictionary<long, SortedSet<CoPlay>> _minutes = [];
    private readonly List<long> _touched = [];
    private readonly List<CoPlay> _rows = [];

    // Every window rewrites its minute's file: one row group's columns, reused, rather than a minute's worth of large
    // arrays and pinned string chunks allocated anew every second.
    private readonly CoPlayRowGroup _rowGroup = new(CoPlayParquetWriter.RowGroupSize);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <param name="root">The results folder; created if missing.</param>
    /// <param name="metadata">Key-value metadata of every file (<see cref="CoPlayParquetMetadata.Of(int, double, int, ListeningTogether.Pipeline.Geo.CityDatabase?)"/>).</param>
    /// <param name="logger">For files set aside or left over by a crash.</param>
    /// <param name="clock">Stamps the name of an unreadable file set aside; the system clock when not given.</param>
    public ParquetCoPlaySink(string root, IReadOnlyDictionary<string, string> metadata, ILogger<ParquetCoPlaySink> logger, TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        _root = Path.GetFullPath(root);
        _metadata = metadata;
        _logger = logger;
        Directory.CreateDirectory(_root);
        DeleteLeftoverTempFiles();
    }

    public async ValueTask WriteAsync(IReadOnlyList<CoPlay> coPlays, CancellationToken cancellationToken)
    {
        if (coPlays.Count == 0)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _touched.Clear();
            foreach (CoPlay coPlay in coPlays)
            {
                long minute = CoPlayMinuteFiles.MinuteOf(coPlay.WindowStartMs);
                if (!_minutes.TryGetValue(minute, out SortedSet<CoPlay>? rows))
                {
                    rows = await LoadAsync(minute, cancellationToken).ConfigureAwait(false);
                    _minutes.Add(minute, rows);
                }

                if (!_touched.Contains(minute))
                {
                    _touched.Add(minute);
                }

                // The set's order is the key: removing an equal element removes the old row of the same key.
                rows.Remove(coPlay);
                rows.Add(coPlay);
            }

            foreach (long minute in _touched)
            {
                await RewriteAsync(minute, _minutes[minute], cancellationToken).ConfigureAwait(false);
            }

            ForgetMinutesBefore(_touched.Max());
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<SortedSet<CoPlay>> LoadAsync(long minute, CancellationToken cancellationToken)
    {
        var rows = new SortedSet<CoPlay>(CoPlayOrder.Instance);
        string path = CoPlayMinuteFiles.PathOf(_root, minute);
        if (!File.Exists(path))
        {
            return rows;
        }

        try
        {
            rows.UnionWith(await CoPlayParquetReader.ReadAsync(path, cancellationToken).ConfigureAwait(false));
        }
        catch (InvalidDataException e)
        {
            // Never a crash's doing (files appear only by rename); kept aside, out of replay's sight, not lost.
            string aside = Path.Combine(Path.GetDirectoryName(path)!, $"_{Path.GetFileName(path)}.unreadable-{_clock.GetUtcNow().UtcDateTime:yyyyMMddTHHmmssfff}");
            File.Move(path, aside);
            LogUnreadable(_logger, path, aside, e);
        }

        return rows;
    }

    private async Task RewriteAsync(long minute, SortedSet<CoPlay> rows, CancellationToken cancellationToken)
    {
        string temp = CoPlayMinuteFiles.TempPathOf(_root, minute);
        Directory.CreateDirectory(Path.GetDirectoryName(temp)!);
        _rows.Clear();
        _rows.AddRange(rows);
        var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        await using (stream.ConfigureAwait(false))
        {
            CoPlayParquetWriter writer = await CoPlayParquetWriter.CreateAsync(stream, _metadata, _rowGroup, ParquetMemory.LongRunning, cancellationToken).ConfigureAwait(false);
            await using (writer.ConfigureAwait(false))
            {
                await writer.WriteAsync(_rows, cancellationToken).ConfigureAwait(false);
                await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, CoPlayMinuteFiles.PathOf(_root, minute), overwrite: true);
    }

    private void ForgetMinutesBefore(long latest)
    {
        foreach (long minute in _minutes.Keys)
        {
            if (minute < latest)
            {
                _minutes.Remove(minute);
            }
        }
    }

    /// <summary>A crash while a minute was rewritten leaves its temporary file; the renamed file before it is whole.</summary>
    private void DeleteLeftoverTempFiles()
    {
        foreach ((string folder, _) in ArchivePartitions.List(_root))
        {
            foreach (string temp in Directory.EnumerateFiles(folder, CoPlayMinuteFiles.TempPattern))
            {
                File.Delete(temp);
                LogLeftoverTemp(_logger, temp);
            }
        }
    }

    [LoggerMessage(521, LogLevel.Information, "Results: deleted {Path}, left by an interrupted rewrite")]
    private static partial void LogLeftoverTemp(ILogger logger, string path);

    [LoggerMessage(522, LogLevel.Warning, "Results: {Path} could not be read, so it was moved to {Aside} and the minute starts anew")]
    private static partial void LogUnreadable(ILogger logger, string path, string aside, Exception exception);
}
