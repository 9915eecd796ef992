using ListeningTogether.Abstractions;

namespace ListeningTogether.Pipeline.Windowing;

/// <summary>A window the watermark has passed: its co-plays sorted by track, and what it held.</summary>
/// <param name="Acks">What the caller attached to the window's plays (messages to acknowledge now that it is emitted).</param>
public sealed record EmittedWindow<TAck>(
    long WindowStartMs,
    IReadOnlyList<CoPlay> CoPlays,
    long DistinctPlays,
    IReadOnlyList<TAck> Acks);
