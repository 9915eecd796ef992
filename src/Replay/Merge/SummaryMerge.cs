using ListeningTogether.Replay.Analytics;
using ListeningTogether.Replay.Output.Summary;

namespace ListeningTogether.Replay.Merge;

/// <summary>The summary of merged replay outputs: counts added up, ranges widened, lists joined, top lists from the merged co-plays.</summary>
internal static class SummaryMerge
{
    /// <summary>
    /// The inputs' common rule, with the event-time range from the earliest <c>from</c> to the latest <c>to</c>
    /// (open on a side where any input was open).
    /// </summary>
    public static ReplaySettings Settings(IReadOnlyList<ReplayOutput> inputs)
    {
        ReplaySettings first = inputs[0].Summary.Settings;
        List<ReplaySettings> all = [.. inputs.Select(i => i.Summary.Settings)];
        return first with
        {
            FromMs = all.All(s => s.FromMs is not null) ? all.Min(s => s.FromMs) : null,
            ToMs = all.All(s => s.ToMs is not null) ? all.Max(s => s.ToMs) : null,
        };
    }

    /// <param name="statistics">Holds the merged co-plays; the inputs' eligible plays per minute are added here.</param>
    public static ReplaySummary Combine(IReadOnlyList<ReplayOutput> inputs, ReplaySettings settings, long coPlays, CoPlayStatistics statistics)
    {
        List<ReplaySummary> all = [.. inputs.Select(i => i.Summary)];
        foreach (MinuteTotal minute in all.SelectMany(s => s.PerMinute))
        {
            statistics.AddEligiblePlays(minute.MinuteStartMs, minute.EligiblePlays);
        }

        var ineligible = new Dictionary<string, long>();
        foreach (var (reason, count) in all.SelectMany(s => s.Ineligible))
        {
            ineligible[reason] = ineligible.GetValueOrDefault(reason) + count;
        }

        return new ReplaySummary(
            all.Sum(s => s.InputRecords),
            all.Sum(s => s.EligibleRecords),
            all.Sum(s => s.EligiblePlays),
            all.Sum(s => s.DuplicateRecords),
            ineligible,
            all.Sum(s => s.OutsideRange),
            coPlays,
            all.Sum(s => s.Windows),
            all.Min(s => s.FirstPlayedAtMs),
            all.Max(s => s.LastPlayedAtMs),
            settings,
            all[0].CityDatabase,
            [.. all.SelectMany(s => s.Inputs)],
            [.. all.SelectMany(s => s.SkippedFiles)],
            statistics.TopTracks(),
            statistics.TopCityPairs(),
            statistics.PerMinute());
    }
}
