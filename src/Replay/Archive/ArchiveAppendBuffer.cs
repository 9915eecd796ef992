using ListeningTogether.Abstractions;

namespace ListeningTogether.Replay.Archive;

/// <summary>
/// Where the pipeline appends plays between flushes: two batches that take turns, one filling under a short lock
/// while the flusher writes the other. Positions count appended plays from 1.
/// </summary>
internal sealed class ArchiveAppendBuffer(int flushSoonBytes)
{
    private readonly Lock _gate = new();
    private ArchiveBatch _filling = new();
    private ArchiveBatch? _spare = new();
    private long _position;

    public long Position => Interlocked.Read(ref _position);

    /// <summary>Appends one play; <paramref name="flushSoon"/> says the batch has grown large enough to flush before its time.</summary>
    public long Append(in ArchivedPlay play, out bool flushSoon)
    {
        lock (_gate)
        {
            _filling.Add(play);
            long position = _position + 1;
            _filling.Position = position;
            Interlocked.Exchange(ref _position, position);
            flushSoon = _filling.Length >= flushSoonBytes && !_filling.FlushRequested;
            _filling.FlushRequested |= flushSoon;
            return position;
        }
    }

    /// <summary>When the first play appended since the last <see cref="Take"/> was received (epoch ms), or null.</summary>
    public long? FirstReceivedAtMs
    {
        get
        {
            lock (_gate)
            {
                return _filling.FirstReceivedAtMs;
            }
        }
    }

    /// <summary>Takes everything appended so far, or null when nothing was.</summary>
    public ArchiveBatch? Take()
    {
        lock (_gate)
        {
            if (_filling.Records == 0)
            {
                return null;
            }

            ArchiveBatch full = _filling;
            _filling = _spare ?? new ArchiveBatch();
            _spare = null;
            return full;
        }
    }

    /// <summary>Gives a written batch back for reuse.</summary>
    public void Recycle(ArchiveBatch batch)
    {
        batch.Clear();
        lock (_gate)
        {
            _spare ??= batch;
        }
    }
}
