using System.Buffers;
using ListeningTogether.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;

namespace ListeningTogether.Replay.Output;

/// <summary>
/// Appends co-plays to a JSONL results file, idempotent on (window start, track) as DESIGN.md's results sinks are:
/// a key emitted again (a window re-emitted after a crash) replaces its row. Normally a row is only appended. An
/// identical row again writes nothing; a different one is appended too, and while the sink runs the last row of a
/// key is the one that counts. On dispose, and at start when an earlier run left several rows of a key, the file
/// is compacted (<see cref="JsonlResultsFile.Compact"/>) to the latest row of each key, in the place where the key
/// first appeared.
/// </summary>
public sealed partial class JsonlCoPlaySink : ICoPlaySink, IDisposable
{
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly SafeFileHandle _file;
    private readonly Dictionary<(long WindowStartMs, string TrackId), ResultRow> _rows = [];
    private readonly List<((long, string) Key, ResultRow? Before)> _changed = [];
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);
    private readonly ArrayBufferWriter<byte> _row = new(1024);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private byte[] _written = new byte[1024];
    private long _length;
    private int _superseded;
    private bool _disposed;

    public JsonlCoPlaySink(string path, ILogger<JsonlCoPlaySink>? logger = null)
    {
        _path = Path.GetFullPath(path);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        File.Delete(JsonlResultsFile.TempPathOf(_path));
        if (File.Exists(_path))
        {
            JsonlResultsFile.DropTornLastLine(_path);
            int superseded = JsonlResultsFile.Index(_path, _rows);
            if (superseded > 0)
            {
                JsonlResultsFile.Compact(_path, _rows);
                LogCompacted(_logger, _path, superseded);
                _rows.Clear();
                JsonlResultsFile.Index(_path, _rows);
            }
        }

        _file = File.OpenHandle(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        _length = RandomAccess.GetLength(_file);
    }

    public async ValueTask WriteAsync(IReadOnlyList<CoPlay> coPlays, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        _buffer.ResetWrittenCount();
        _changed.Clear();
        try
        {
            int superseded = 0;
            foreach (CoPlay coPlay in coPlays)
            {
                _row.ResetWrittenCount();
                CoPlayJsonl.Write(_row, coPlay);
                (long, string) key = (coPlay.WindowStartMs, coPlay.TrackId);
                long offset = _length + _buffer.WrittenCount;
                ResultRow? before = _rows.TryGetValue(key, out ResultRow previous) ? previous : null;
                if (before is { } row && await IsWrittenAsync(row, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                superseded += before is null ? 0 : 1;
                _rows[key] = new ResultRow(before?.FirstOffset ?? offset, offset, _row.WrittenCount);
                _changed.Add((key, before));
                _buffer.Write(_row.WrittenSpan);
            }

            if (_buffer.WrittenCount > 0)
            {
                await RandomAccess.WriteAsync(_file, _buffer.WrittenMemory, _length, cancellationToken).ConfigureAwait(false);
                _length += _buffer.WrittenCount;
            }

            _superseded += superseded;
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
        if (_superseded == 0)
        {
            return;
        }

        try
        {
            JsonlResultsFile.Compact(_path, _rows);
            LogCompacted(_logger, _path, _superseded);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The file still holds every key's latest row last; the next start compacts it.
            LogCompactionFailed(_logger, _path, e);
        }
    }

    /// <summary>After a failed batch: the index and the file as they were before it.</summary>
    private void Undo()
    {
        for (int i = _changed.Count - 1; i >= 0; i--)
        {
            ((long, string) key, ResultRow? before) = _changed[i];
            if (before is { } row)
            {
                _rows[key] = row;
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

    [LoggerMessage(1, LogLevel.Information, "Results: compacted {Path}, dropping {Rows} rows that a re-emitted window replaced")]
    private static partial void LogCompacted(ILogger logger, string path, int rows);

    [LoggerMessage(2, LogLevel.Warning, "Results: {Path} could not be compacted; a re-emitted window's last row stands for it until the next start compacts the file")]
    private static partial void LogCompactionFailed(ILogger logger, string path, Exception exception);
}
