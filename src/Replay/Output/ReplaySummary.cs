namespace ListeningTogether.Replay.Output;

/// <summary>What <c>summary.json</c> holds: counts, settings and where the numbers came from.</summary>
public sealed record ReplaySummary(
    long InputRecords,
    long EligibleRecords,
    long EligiblePlays,
    long DuplicateRecords,
    IReadOnlyDictionary<string, long> Ineligible,
    long CoPlays,
    long Windows,
    long? FirstPlayedAtMs,
    long? LastPlayedAtMs,
    ReplaySettings Settings,
    CityDatabaseInfo CityDatabase,
    IReadOnlyList<InputFileSummary> Inputs,
    IReadOnlyList<string> SkippedFiles);

public sealed record ReplaySettings(int WindowMs, double MinDistanceKm, int MaxAccuracyRadiusKm, string? AnonymousIpDb);

public sealed record CityDatabaseInfo(string Type, DateTimeOffset BuildTime);

public sealed record InputFileSummary(string Path, long Records);
