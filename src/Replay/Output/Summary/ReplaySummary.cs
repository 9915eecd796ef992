using ListeningTogether.Abstractions;

namespace ListeningTogether.Replay.Output.Summary;

/// <summary>What <c>summary.json</c> holds: counts, settings, where the numbers came from, and the top lists.</summary>
/// <param name="OutsideRange">Records with a valid playedAt outside <c>--from</c>/<c>--to</c>: read and counted here only, so
/// <see cref="InputRecords"/> = <see cref="EligibleRecords"/> + the ineligible ones + these.</param>
/// <param name="PerMinute">Eligible plays and co-plays per UTC minute (of their window's start), in time order.</param>
public sealed record ReplaySummary(
    long InputRecords,
    long EligibleRecords,
    long EligiblePlays,
    long DuplicateRecords,
    IReadOnlyDictionary<string, long> Ineligible,
    long OutsideRange,
    long CoPlays,
    long Windows,
    long? FirstPlayedAtMs,
    long? LastPlayedAtMs,
    ReplaySettings Settings,
    CityDatabaseInfo CityDatabase,
    IReadOnlyList<InputFileSummary> Inputs,
    IReadOnlyList<SkippedFile> SkippedFiles,
    IReadOnlyList<TrackTotal> TopTracks,
    IReadOnlyList<CityPairTotal> TopCityPairs,
    IReadOnlyList<MinuteTotal> PerMinute);

/// <summary>The rule's settings a replay ran with; <see cref="FromMs"/> and <see cref="ToMs"/> bound its event time when given.</summary>
public sealed record ReplaySettings(int WindowMs, double MinDistanceKm, int MaxAccuracyRadiusKm, string? AnonymousIpDb, long? FromMs = null, long? ToMs = null)
{
    /// <summary>Whether both give the same co-plays for the same plays (the event-time range aside).</summary>
    public bool SameRule(ReplaySettings other) =>
        WindowMs == other.WindowMs && MinDistanceKm.Equals(other.MinDistanceKm) && MaxAccuracyRadiusKm == other.MaxAccuracyRadiusKm
        && string.Equals(AnonymousIpDb, other.AnonymousIpDb, StringComparison.Ordinal);
}

public sealed record CityDatabaseInfo(string Type, DateTimeOffset BuildTime);

public sealed record InputFileSummary(string Path, long Records);

/// <summary>An input left out by <c>--skip-bad-files</c> (or part of one: an unreadable row group), and why.</summary>
public sealed record SkippedFile(string File, string Reason);

/// <summary>A track's co-plays and the plays in them (the sum of their <c>plays</c>).</summary>
public sealed record TrackTotal(string TrackId, long CoPlays, long Plays);

/// <summary>
/// A pair of cities (a.geonameId &lt; b.geonameId), its co-plays and the plays in them; each city's name and
/// coordinates are those of its first co-play in result order, and the distance is between those two places.
/// </summary>
public sealed record CityPairTotal(Location A, Location B, double DistanceKm, long CoPlays, long Plays);

/// <summary>One UTC minute: distinct eligible plays and co-plays of the windows starting in it.</summary>
public sealed record MinuteTotal(long MinuteStartMs, long EligiblePlays, long CoPlays);
