using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Replay.Input;
using ListeningTogether.Replay.Range;
using ListeningTogether.Replay.Report;

namespace ListeningTogether.Replay;

/// <summary>One batch replay: its inputs, where results go, the rule's settings and the databases.</summary>
public sealed record ReplayRequest(
    IReadOnlyList<string> Inputs,
    string OutputDirectory,
    int WindowMs,
    double MinDistanceKm,
    int MaxAccuracyRadiusKm,
    CityDatabase Cities,
    AnonymousIpDatabase? AnonymousIps,
    IDeadLetterSink? DeadLetters,
    TimeProvider Clock)
{
    /// <summary>Worker threads; defaults to the processor count.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Where spill files go between the passes; defaults to a folder under the output directory.</summary>
    public string? TempDirectory { get; init; }

    /// <summary>
    /// How many bytes of spilled plays may wait in memory for their bucket to be matched (the rest goes to spill
    /// files): enough for the few buckets in progress of a time-ordered 100-million-play hour.
    /// </summary>
    public long SpillMemoryBytes { get; init; } = 256L << 20;

    public IProgress<ReplayProgress>? Progress { get; init; }

    /// <summary>The event times replayed; plays outside are counted as outside the range and otherwise ignored.</summary>
    public EventTimeRange Range { get; init; } = EventTimeRange.All;

    /// <summary>Go on past a missing or unreadable input file, listing it in the summary, instead of failing.</summary>
    public bool SkipBadFiles { get; init; }

    /// <summary>How to sign in for inputs in Azure Blob Storage (URL inputs).</summary>
    public BlobInputOptions BlobInputs { get; init; } = new();

    /// <summary>The site whose playback each minute of <c>report.html</c> links to; none, no links.</summary>
    public PlaybackSite? PlaybackSite { get; init; }
}

/// <summary>How far a replay has got.</summary>
public sealed record ReplayProgress(string Phase, long Done, long Total, long Records);
