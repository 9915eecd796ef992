using ListeningTogether.Abstractions;

namespace ListeningTogether.Replay.Archive;

/// <summary>
/// Plays written as Parquet play files that replay reads: one file, or the hour-partitioned archive layout.
/// Files appear only when complete (written under a temporary name, then renamed).
/// </summary>
public interface IParquetPlayOutput : IAsyncDisposable
{
    /// <summary>Plays added so far.</summary>
    long Rows { get; }

    /// <summary>Buffers one play; true when enough are buffered that <see cref="WriteBufferedAsync"/> should run.</summary>
    bool Add(in ArchivedPlay play);

    /// <summary>Writes full row groups of the buffered plays.</summary>
    Task WriteBufferedAsync(CancellationToken cancellationToken);

    /// <summary>Writes everything left and puts the files in place. Disposing without completing leaves no file.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);
}
