using System.Buffers;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Replay.Output;

/// <summary>
/// Appends co-plays to a JSONL results file, idempotent on (window start, track): keys already in the file (from
/// an earlier run) or written by this one are not written again, so a window emitted twice never duplicates rows.
/// </summary>
public sealed class JsonlCoPlaySink : ICoPlaySink, IDisposable
{
    private readonly FileStream _file;
    private readonly HashSet<(long WindowStartMs, string TrackId)> _written = [];
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public JsonlCoPlaySink(string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        if (File.Exists(path))
        {
            DropTornLastLine(path);
            foreach (string line in File.ReadLines(path))
            {
                if (CoPlayKey.TryRead(line, out var key))
                {
                    _written.Add(key);
                }
            }
        }

        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
    }

    /// <summary>A crash can leave a last line without its end: it is not a whole row, so it goes.</summary>
    private static void DropTornLastLine(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        long end = file.Length;
        var one = new byte[1];
        while (end > 0)
        {
            file.Position = end - 1;
            file.ReadExactly(one);
            if (one[0] == (byte)'\n')
            {
                break;
            }

            end--;
        }

        file.SetLength(end);
    }

    public async ValueTask WriteAsync(IReadOnlyList<CoPlay> coPlays, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _buffer.ResetWrittenCount();
            foreach (CoPlay coPlay in coPlays)
            {
                if (_written.Add((coPlay.WindowStartMs, coPlay.TrackId)))
                {
                    CoPlayJsonl.Write(_buffer, coPlay);
                }
            }

            await _file.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _file.Dispose();
        _gate.Dispose();
    }
}
