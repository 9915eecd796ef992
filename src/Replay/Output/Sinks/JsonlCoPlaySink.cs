using System.Buffers;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Results;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;

namespace ListeningTogether.Replay.Output.Sinks;

/// <summary>
/// Appends co-plays to a JSONL results file, idempotent on (window start, track) as DESIGN.md's results sinks are:
/// a key emitted again (a window re-emitted after a crash) replaces its row. Normally a row is only appended. An
/// identical row again writes nothing; a different one is appended too, and while the sink runs the last row of a
/// key is the one that counts. On dispose, and at start when an earlier run left several rows of a key, the file
/// is compacted (<see cref="JsonlResultsFile.Compact"/>) to the latest row of each key, in the place where the key
/// first appeared.
/// Only the keys of windows that start at most the key horizon before the newest window written are remembered
/// (<see cref="RecentResultRows"/>; <c>Results:JsonlKeyHorizonSeconds</c>, <see cref="DefaultKeyHorizonSeconds"/> by
/// default), so memory holds the co-plays of the horizon, not of the process's life. The streaming pipeline emits
/// windows in time order, so only a restart re-emits older ones, and those it re-emits are the ones it wrote last. A
/// re-emit of a window older than the horizon is appended even when identical: the last row still wins, and compaction
/// at stop, which then indexes the whole file again, leaves one row per key.
/// </summary>
public sealed partial class JsonlCoPlaySink : ICoPlaySink, IDisposable
{
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly SafeFileHandle _file;
    /// <summary>How far behind the newest window written the keys of windows are remembered by default.</summary>
    public const int DefaultKeyHorizonSeconds = 60;

    private readonly RecentResultRows _rows;
    private readonly List<((long, string) Key, ResultRow? Before)> _changed = [];
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);
    private readonly ArrayBufferWriter<byte> _row = new(1024);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private byte[] _written = new byte[1024];
    private long _length;
    private int _superseded;
    private int _beyondHorizon;
    private bool _disposed;

    /// <param name="path">The results file; created if missing, its folder too.</param>
    /// <param name="logger">For compactions.</param>
    /// <param name="keyHorizon">How far behind the newest window written keys are remembered (an identical re-emit within it writes nothing); <see cref="DefaultKeyHorizonSeconds"/> when null.</param>
    public JsonlCoPlaySink(string path, ILogger<JsonlCoPlaySink>? logger = null, TimeSpan? keyHorizon = null)
    {
        long horizonMs = (long)(keyHorizon ?? TimeSpan.FromSeconds(DefaultKeyHorizonSeconds)).TotalMilliseconds;
        ArgumentOutOfRangeException.ThrowIfNegative(horizonMs, nameof(keyHorizon));
        _path = Path.GetFullPath(path);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        File.Delete(JsonlResultsFile.TempPathOf(_path));
        _rows = File.Exists(_path) ? IndexAtStart(horizonMs) : new RecentResultRows(horizonMs);

        _file = File.OpenHandle(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        _length = RandomAccess.GetLength(_file);
    }

    /// <summary>The keys the sink remembers now (those of the key horizon).</summary>
    internal int RememberedKeys => _rows.Count;

    public async ValueTask WriteAsync(IReadOnlyList<CoPlay> coPlays, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        _buffer.ResetWrittenCount();
        _changed.Clear();
        try
        {
            int superseded = 0;
            int beyondHorizon = 0;
            foreach (CoPlay coPlay in coPlays)
            {
                _row.ResetWrittenCount();
                CoPlayJsonl.Write(_row, coPlay);
                (long, string) key = (coPlay.WindowStartMs, coPlay.TrackId);
                long offset = _length + _buffer.WrittenCount;
                ResultRow? before = _rows.TryGet(key, out ResultRow previous) ? previous : null;
                if (before is { } row && await IsWrittenAsync(row, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                superseded += before is null ? 0 : 1;
                beyondHorizon += before is null && coPlay.WindowStartMs < _rows.ForgottenBeforeMs ? 1 : 0;
                _rows.Set(key, new ResultRow(before?.FirstOffset ?? offset, offset, _row.WrittenCount));
                _changed.Add((key, before));
                _buffer.Write(_row.WrittenSpan);
            }

            if (_buffer.WrittenCount > 0)
            {
                await RandomAccess.WriteAsync(_file, _buffer.WrittenMemory, _length, cancellationToken).ConfigureAwait(false);
                _length += _buffer.WrittenCount;
            }

            _superseded += superseded;
            _beyondHorizon += beyondHorizon;
            _rows.Forget();
        }
        catch
        {
            Undo();
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the file, then compacts it if a key got more than one row.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _file.Dispose();
        _gate.Dispose();
        if (_superseded == 0 && _beyondHorizon == 0)
        {
            return;
        }

        try
        {
            // The recent keys do not say where forgotten keys have their rows: the whole file is indexed again.
            var file = new Dictionary<(long WindowStartMs, string TrackId), ResultRow>();
            int superseded = JsonlResultsFile.Index(_path, file);
            if (superseded > 0)
            {
                JsonlResultsFile.Compact(_path, file);
                LogCompacted(_logger, _path, superseded);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The file still holds every key's latest row last; the next start compacts it.
            LogCompactionFailed(_logger, _path, e);
        }
    }

    /// <summary>
    /// Drops a torn last line, compacts the file if an earlier run left several rows of a key, and keeps the recent
    /// part of its index. The whole file's index is held only meanwhile.
    /// </summary>
    private RecentResultRows IndexAtStart(long horizonMs)
    {
        JsonlResultsFile.DropTornLastLine(_path);
        var file = new Dictionary<(long WindowStartMs, string TrackId), ResultRow>();
        int superseded = JsonlResultsFile.Index(_path, file);
        if (superseded > 0)
        {
            JsonlResultsFile.Compact(_path, file);
            LogCompacted(_logger, _path, superseded);
            file.Clear();
            JsonlResultsFile.Index(_path, file);
        }

        return RecentResultRows.From(file, horizonMs);
    }

    /// <summary>After a failed batch: the index and the file as they were before it.</summary>
    private void Undo()
    {
        for (int i = _changed.Count - 1; i >= 0; i--)
        {
            ((long, string) key, ResultRow? before) = _changed[i];
            if (before is { } row)
            {
                _rows.Set(key, row);
            }
            else
            {
                _rows.Remove(key);
            }
        }

        // A partly written batch would leave a torn line that a later, shorter batch only partly overwrites.
        RandomAccess.SetLength(_file, _length);
    }

    /// <summary>Whether the row just formatted in <c>_row</c> has exactly the bytes of <paramref name="latest"/>, the key's row in the file or this batch.</summary>
    private async ValueTask<bool> IsWrittenAsync(ResultRow latest, CancellationToken cancellationToken)
    {
        if (latest.Length != _row.WrittenCount)
        {
            return false;
        }

        if (latest.Offset >= _length)
        {
            return _buffer.WrittenSpan.Slice(checked((int)(latest.Offset - _length)), latest.Length).SequenceEqual(_row.WrittenSpan);
        }

        if (_written.Length < latest.Length)
        {
            _written = new byte[latest.Length];
        }

        Memory<byte> written = _written.AsMemory(0, latest.Length);
        for (int done = 0; done < written.Length;)
        {
            int read = await RandomAccess.ReadAsync(_file, written[done..], latest.Offset + done, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            done += read;
        }

        return written.Span.SequenceEqual(_row.WrittenSpan);
    }

    [LoggerMessage(531, LogLevel.Information, "Results: compacted {Path}, dropping {Rows} rows that a re-emitted window replaced")]
    private static partial void LogCompacted(ILogger logger, string path, int rows);

    [LoggerMessage(532, LogLevel.Warning, "Results: {Path} could not be compacted; a re-emitted window's last row stands for it until the next start compacts the file")]
    private static partial void LogCompactionFailed(ILogger logger, string path, Exception exception);
}
