using System.Threading.Channels;
using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using Microsoft.Extensions.Logging;

namespace ListeningTogether.Replay.Archive;

/// <summary>
/// The streaming archive (DESIGN.md "Archive durability"). Plays are appended to a buffer, written to a local
/// write-ahead segment under <c>ROOT/_segments/</c> and flushed to the disk at least every <c>FlushMs</c> (sooner
/// when a lot is waiting); a segment that is <c>RollSeconds</c> old or large becomes Parquet files under
/// <c>ROOT/dt=YYYY-MM-DD/hour=HH/</c>, written under temporary names and renamed, and is then deleted. Segments a
/// crash left behind are converted when <see cref="RunAsync"/> starts; a damaged one (see
/// <see cref="ArchiveSegmentReader"/>) has its readable plays converted and is moved to <c>_segments/_damaged/</c>.
/// Hour partitions older than <c>RetentionDays</c> are deleted then and after every conversion.
/// </summary>
public sealed partial class ParquetArchiveSink : IPlayArchive
{
    /// <summary>A segment this large rolls before its time.</summary>
    public const long DefaultMaxSegmentBytes = 256L << 20;

    /// <summary>This much waiting in the buffer asks for a flush before its time.</summary>
    private const int FlushSoonBytes = 8 << 20;

    private readonly TimeSpan _flushInterval;
    private readonly TimeSpan _rollAfter;
    private readonly int _retentionDays;
    private readonly long _maxSegmentBytes;
    private readonly TimeProvider _clock;
    private readonly ILogger<ParquetArchiveSink> _logger;
    private readonly ArchiveAppendBuffer _buffer = new(FlushSoonBytes);
    private readonly Channel<string> _toConvert = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Queue<string> _failedConversions = new();

    // Conversions run one after another: one file's row buffers, kept, serve them all.
    private readonly ParquetPlayRowsPool _rows = new();
    private ArchiveSegmentWriter? _segment;
    private ArchiveBatch? _unwritten;
    private Exception? _writeFailure;
    private long _failures;
    private long _durable;
    private TaskCompletionSource _flushRequested = NewSignal();
    private TaskCompletionSource _durableAdvanced = NewSignal();

    public ParquetArchiveSink(ArchiveOptions options, TimeProvider clock, ILogger<ParquetArchiveSink> logger, long maxSegmentBytes = DefaultMaxSegmentBytes)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.ParquetDir);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSegmentBytes);
        Root = Path.GetFullPath(options.ParquetDir);
        _flushInterval = TimeSpan.FromMilliseconds(options.FlushMs);
        _rollAfter = TimeSpan.FromSeconds(options.RollSeconds);
        _retentionDays = options.RetentionDays;
        _maxSegmentBytes = maxSegmentBytes;
        _clock = clock;
        _logger = logger;
    }

    public string Root { get; }

    public long Position => _buffer.Position;

    public long DurablePosition => Interlocked.Read(ref _durable);

    /// <summary>Why the last flush or conversion failed, until the next one succeeds; null while the archive writes.</summary>
    public Exception? WriteFailure => Volatile.Read(ref _writeFailure);

    /// <summary>Flushes and conversions that failed since the start.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>When the oldest play not yet on disk was received (epoch ms), or null when every play is on disk.</summary>
    public long? OldestPendingReceivedAtMs => Volatile.Read(ref _unwritten)?.FirstReceivedAtMs ?? _buffer.FirstReceivedAtMs;

    public long Append(in ArchivedPlay play)
    {
        long position = _buffer.Append(play, out bool flushSoon);
        if (flushSoon)
        {
            RequestFlush();
        }

        return position;
    }

    public async ValueTask WaitDurableAsync(long position, CancellationToken cancellationToken)
    {
        while (DurablePosition < position)
        {
            // Taken before asking, so a flush that ends in between still wakes this wait.
            Task advanced = Volatile.Read(ref _durableAdvanced).Task;
            RequestFlush();
            if (DurablePosition >= position)
            {
                return;
            }

            await advanced.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Converts leftover segments, then flushes and rolls until <paramref name="stoppingToken"/> fires; then flushes
    /// what is left, converts the last segment and returns once every conversion has finished.
    /// </summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        Directory.CreateDirectory(Root);
        IReadOnlyList<string> leftovers = ArchiveSegment.List(Root);
        if (leftovers.Count > 0)
        {
            // One line for all: each segment is named once, by the line that says how its conversion went.
            LogLeftoverSegments(_logger, leftovers.Count);
        }

        foreach (string leftover in leftovers)
        {
            _toConvert.Writer.TryWrite(leftover);
        }

        Task converting = Task.Run(ConvertSegmentsAsync, CancellationToken.None);
        try
        {
            while (true)
            {
                await WaitForFlushAsync(_clock.GetUtcNow() + _flushInterval, stoppingToken).ConfigureAwait(false);
                Flush();
                RollIfDue();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is buffered is written and the segment converted below.
        }
        finally
        {
            Flush();
            CloseSegment();
            RetryFailedConversions();
            _toConvert.Writer.TryComplete();
            await converting.ConfigureAwait(false);
            LogStopped(_logger, DurablePosition, Position);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void RequestFlush() => Volatile.Read(ref _flushRequested).TrySetResult();

    private async Task WaitForFlushAsync(DateTimeOffset due, CancellationToken stoppingToken)
    {
        TaskCompletionSource request = Volatile.Read(ref _flushRequested);
        TimeSpan wait = due - _clock.GetUtcNow();
        if (wait > TimeSpan.Zero && !request.Task.IsCompleted)
        {
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            await Task.WhenAny(request.Task, Task.Delay(wait, _clock, cancel.Token)).ConfigureAwait(false);
            await cancel.CancelAsync().ConfigureAwait(false);
        }

        stoppingToken.ThrowIfCancellationRequested();
        if (request.Task.IsCompleted)
        {
            // Requests from now on complete the new signal, and their plays are in the batch taken next.
            Interlocked.CompareExchange(ref _flushRequested, NewSignal(), request);
        }
    }

    /// <summary>Writes everything appended so far to the segment and flushes it to the disk; a batch that failed before goes first.</summary>
    private void Flush()
    {
        bool retry = _unwritten is not null;
        ArchiveBatch? batch = _unwritten ?? _buffer.Take();
        while (batch is not null)
        {
            _unwritten = batch;
            try
            {
                _segment ??= ArchiveSegmentWriter.Create(Root, _clock.GetUtcNow());
                _segment.Write(batch);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The segment's whole blocks still count; this batch is written again, to a new segment.
                Failed(e);
                LogFlushFailed(_logger, batch.Records, e.Message);
                CloseSegment();
                return;
            }

            _unwritten = null;
            Volatile.Write(ref _writeFailure, null);
            Interlocked.Exchange(ref _durable, batch.Position);
            Interlocked.Exchange(ref _durableAdvanced, NewSignal()).TrySetResult();
            _buffer.Recycle(batch);
            batch = retry ? _buffer.Take() : null;
            retry = false;
        }
    }

    private void RollIfDue()
    {
        if (_segment is { } segment && (segment.Length >= _maxSegmentBytes || _clock.GetUtcNow() - segment.OpenedAt >= _rollAfter))
        {
            CloseSegment();
        }
    }

    private void CloseSegment()
    {
        if (_segment is { } segment)
        {
            _segment = null;
            segment.Dispose();
            _toConvert.Writer.TryWrite(segment.Path);
            RetryFailedConversions();
        }
    }

    private void RetryFailedConversions()
    {
        lock (_failedConversions)
        {
            while (_failedConversions.TryDequeue(out string? segment))
            {
                _toConvert.Writer.TryWrite(segment);
            }
        }
    }

    private void Failed(Exception e)
    {
        Interlocked.Increment(ref _failures);
        Volatile.Write(ref _writeFailure, e);
    }

    private async Task ConvertSegmentsAsync()
    {
        ApplyRetention();
        await foreach (string segment in _toConvert.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                // Not cancellable: a conversion cut short by the process ending is done again at the next start.
                SegmentConversion done = await ArchiveSegmentConverter.ConvertAsync(segment, Root, _rows, CancellationToken.None).ConfigureAwait(false);
                if (done.IsDamaged)
                {
                    string aside = MoveAside(segment);
                    LogDamagedSegment(_logger, Path.GetFileName(segment), done.DamagedFrom, done.Plays, done.UnreadableBytes, Path.GetRelativePath(Root, aside));
                }
                else
                {
                    File.Delete(segment);
                    LogSegmentConverted(_logger, Path.GetFileName(segment), done.Plays, done.Hours);
                    if (done.TornBytes > 0)
                    {
                        LogTornTail(_logger, Path.GetFileName(segment), done.TornBytes);
                    }
                }
            }
            catch (Exception e)
            {
                // Its plays are safe in the segment; it is converted again after the next roll, or at the next start.
                // Logged before it is counted: whoever sees the count finds the line.
                LogConversionFailed(_logger, Path.GetFileName(segment), e.Message);
                Interlocked.Increment(ref _failures);
                lock (_failedConversions)
                {
                    _failedConversions.Enqueue(segment);
                }
            }

            ApplyRetention();
        }
    }

    /// <summary>Moves a damaged segment where it is neither converted again nor replayed, and kept for a look.</summary>
    private string MoveAside(string segment)
    {
        string folder = ArchiveSegment.DamagedFolder(Root);
        Directory.CreateDirectory(folder);
        string aside = Path.Combine(folder, Path.GetFileName(segment));
        File.Move(segment, aside, overwrite: false);
        return aside;
    }

    private void ApplyRetention()
    {
        try
        {
            int deleted = ArchiveRetention.Apply(Root, _clock.GetUtcNow(), _retentionDays);
            if (deleted > 0)
            {
                LogRetention(_logger, deleted, _retentionDays);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogRetentionFailed(_logger, e);
        }
    }

    [LoggerMessage(501, LogLevel.Information, "Archive: converting {Segments} segments left from an earlier run")]
    private static partial void LogLeftoverSegments(ILogger logger, int segments);

    [LoggerMessage(502, LogLevel.Information, "Archive: segment {Segment} -> {Plays} plays in {Hours} hour partitions")]
    private static partial void LogSegmentConverted(ILogger logger, string segment, long plays, int hours);

    [LoggerMessage(503, LogLevel.Warning, "Archive: segment {Segment} ended in {Bytes} bytes of an interrupted flush, which were dropped")]
    private static partial void LogTornTail(ILogger logger, string segment, long bytes);

    [LoggerMessage(504, LogLevel.Error, "Archive: segment {Segment} could not be converted ({Cause}); it stays and is tried again after the next roll or at the next start")]
    private static partial void LogConversionFailed(ILogger logger, string segment, string cause);

    [LoggerMessage(505, LogLevel.Warning, "Archive: {Plays} plays could not be written to the segment ({Cause}); trying again at the next flush")]
    private static partial void LogFlushFailed(ILogger logger, int plays, string cause);

    [LoggerMessage(509, LogLevel.Error, "Archive: segment {Segment} is damaged from byte {Offset}: {Plays} plays converted, {UnreadableBytes} bytes could not be read; moved to {Aside}")]
    private static partial void LogDamagedSegment(ILogger logger, string segment, long? offset, long plays, long unreadableBytes, string aside);

    [LoggerMessage(508, LogLevel.Information, "Archive: stopped with {Durable} of the {Appended} plays appended by this run on disk")]
    private static partial void LogStopped(ILogger logger, long durable, long appended);

    [LoggerMessage(506, LogLevel.Information, "Archive: deleted {Partitions} hour partitions older than {Days} days")]
    private static partial void LogRetention(ILogger logger, int partitions, int days);

    [LoggerMessage(507, LogLevel.Error, "Archive: retention could not delete old partitions")]
    private static partial void LogRetentionFailed(ILogger logger, Exception exception);
}
