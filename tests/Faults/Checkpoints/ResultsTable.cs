using System.Collections.Concurrent;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Faults.Tests.Checkpoints;

/// <summary>
/// An idempotent results sink, as DESIGN.md requires of every one: one row per (window start, track), a window
/// emitted again replacing its rows. Keeps every replacement that differs from the row it replaces, since a
/// restart from correct checkpoints never emits a window differently.
/// </summary>
internal sealed class ResultsTable : ICoPlaySink
{
    private readonly ConcurrentDictionary<(long WindowStartMs, string TrackId), CoPlay> _rows = new();
    private readonly ConcurrentQueue<string> _differingReplacements = new();

    public int Count => _rows.Count;

    public IReadOnlyCollection<string> DifferingReplacements => _differingReplacements;

    public bool Contains(long windowStartMs, string trackId) => _rows.ContainsKey((windowStartMs, trackId));

    /// <summary>The rows, ordered by window start and track.</summary>
    public IReadOnlyList<CoPlay> Rows() =>
        [.. _rows.OrderBy(r => r.Key.WindowStartMs).ThenBy(r => r.Key.TrackId, StringComparer.Ordinal).Select(r => r.Value)];

    public ValueTask WriteAsync(IReadOnlyList<CoPlay> coPlays, CancellationToken cancellationToken)
    {
        foreach (CoPlay coPlay in coPlays)
        {
            _rows.AddOrUpdate(
                (coPlay.WindowStartMs, coPlay.TrackId),
                coPlay,
                (_, old) =>
                {
                    if (old != coPlay)
                    {
                        _differingReplacements.Enqueue($"{old} replaced by {coPlay}");
                    }

                    return coPlay;
                });
        }

        return ValueTask.CompletedTask;
    }
}
