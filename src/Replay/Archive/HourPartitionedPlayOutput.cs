using ListeningTogether.Abstractions;

namespace ListeningTogether.Replay.Archive;

/// <summary>
/// Plays written in the archive layout: under <c>ROOT/dt=YYYY-MM-DD/hour=HH/</c> (the UTC hour of playedAt), one
/// file named <c>fileName</c> per hour that has plays. Writing the same name again replaces that hour's file.
/// At most a few row groups are buffered, whatever the number of hours.
/// </summary>
public sealed class HourPartitionedPlayOutput : IParquetPlayOutput
{
    private const int MaxBufferedRows = 4 * ParquetPlayWriter.RowGroupRows;

    private readonly string _root;
    private readonly string _fileName;
    private readonly ParquetPlayRowsPool? _rows;
    private readonly Dictionary<long, PendingPlayFile> _hours = [];
    private PendingPlayFile? _last;
    private long _lastHour = long.MinValue;
    private int _buffered;

    public HourPartitionedPlayOutput(string root, string fileName)
        : this(root, fileName, null)
    {
    }

    /// <param name="root">The archive root.</param>
    /// <param name="fileName">The name of every hour's file.</param>
    /// <param name="rows">Where the files' row buffers come from and go back to; null: new ones for every file.</param>
    internal HourPartitionedPlayOutput(string root, string fileName, ParquetPlayRowsPool? rows)
    {
        if (!fileName.EndsWith(".parquet", StringComparison.Ordinal) || fileName.StartsWith('_') || fileName.StartsWith('.') || fileName != Path.GetFileName(fileName))
        {
            throw new ArgumentException($"'{fileName}' is not a visible Parquet file name.", nameof(fileName));
        }

        _root = Path.GetFullPath(root);
        _fileName = fileName;
        _rows = rows;
    }

    public long Rows { get; private set; }

    /// <summary>The hours (epoch milliseconds of their start) that have plays.</summary>
    public IEnumerable<long> Hours => _hours.Keys;

    public bool Add(in ArchivedPlay play)
    {
        long hour = ArchivePartitions.HourOf(play.PlayedAtMs);
        if (hour != _lastHour)
        {
            if (!_hours.TryGetValue(hour, out _last))
            {
                _last = new PendingPlayFile(Path.Combine(ArchivePartitions.HourFolder(_root, hour), _fileName), _rows);
                _hours.Add(hour, _last);
            }

            _lastHour = hour;
        }

        _last!.Add(play);
        Rows++;
        return ++_buffered >= MaxBufferedRows || _last.Rows.Count >= ParquetPlayWriter.RowGroupRows;
    }

    public Task WriteBufferedAsync(CancellationToken cancellationToken)
    {
        bool all = _buffered >= MaxBufferedRows;
        foreach (PendingPlayFile file in _hours.Values)
        {
            if (file.Rows.Count > 0 && (all || file.Rows.Count >= ParquetPlayWriter.RowGroupRows))
            {
                _buffered -= file.Rows.Count;
                file.WriteRows(cancellationToken);
            }
        }

        return Task.CompletedTask;
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        foreach (PendingPlayFile file in _hours.Values)
        {
            await file.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        _buffered = 0;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (PendingPlayFile file in _hours.Values)
        {
            await file.DisposeAsync().ConfigureAwait(false);
        }
    }
}
