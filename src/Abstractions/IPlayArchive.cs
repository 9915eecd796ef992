namespace ListeningTogether.Abstractions;

/// <summary>
/// The archive's write-ahead side. Appending is cheap and synchronous; plays become durable in batches, and a
/// message may be acknowledged once <see cref="DurablePosition"/> has reached the position its play got.
/// </summary>
public interface IPlayArchive
{
    /// <summary>The position of the last play appended (0 before the first).</summary>
    long Position { get; }

    /// <summary>Every play up to this position is on disk (flushed), and survives a crash.</summary>
    long DurablePosition { get; }

    /// <summary>Why writing to the disk fails now, or null while it works; appending goes on into memory meanwhile.</summary>
    Exception? WriteFailure => null;

    /// <summary>Appends one play and returns its position (1, 2, ...).</summary>
    long Append(in ArchivedPlay play);

    /// <summary>Asks for a flush now and completes once <paramref name="position"/> is durable.</summary>
    ValueTask WaitDurableAsync(long position, CancellationToken cancellationToken);
}
