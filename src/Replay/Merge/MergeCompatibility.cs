using ListeningTogether.Replay.Output;
using ListeningTogether.Replay.Output.Summary;

namespace ListeningTogether.Replay.Merge;

/// <summary>
/// Whether replay outputs can be merged into exactly what one replay of all their inputs would give: the same rule
/// settings, the same City database build, and no window that two of them could both hold plays of (so no
/// (window, track) group is split between them). Checked from the summaries, before any co-play is read.
/// </summary>
internal static class MergeCompatibility
{
    public static void Check(IReadOnlyList<ReplayOutput> inputs)
    {
        if (inputs.Count == 0)
        {
            throw new MergeRefusedException("Nothing to merge: give at least one replay output folder.");
        }

        foreach (IGrouping<string, ReplayOutput> twice in inputs.GroupBy(i => i.Directory, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            throw new MergeRefusedException($"'{twice.Key}' is given more than once.");
        }

        ReplayOutput first = inputs[0];
        foreach (ReplayOutput other in inputs.Skip(1))
        {
            CheckSettings(first, other);
            if (other.Summary.CityDatabase != first.Summary.CityDatabase)
            {
                throw new MergeRefusedException(
                    $"Cannot merge '{other.Directory}' with '{first.Directory}': they were made with different City databases "
                    + $"({Describe(other.Summary.CityDatabase)} and {Describe(first.Summary.CityDatabase)}), which can place plays differently.");
            }
        }

        CheckDisjointWindows(inputs, first.Summary.Settings.WindowMs);
    }

    private static void CheckSettings(ReplayOutput first, ReplayOutput other)
    {
        ReplaySettings a = first.Summary.Settings, b = other.Summary.Settings;
        if (a.SameRule(b))
        {
            return;
        }

        var differences = new List<string>();
        if (a.WindowMs != b.WindowMs)
        {
            differences.Add($"windowMs {b.WindowMs} and {a.WindowMs}");
        }

        if (!a.MinDistanceKm.Equals(b.MinDistanceKm))
        {
            differences.Add($"minDistanceKm {b.MinDistanceKm} and {a.MinDistanceKm}");
        }

        if (a.MaxAccuracyRadiusKm != b.MaxAccuracyRadiusKm)
        {
            differences.Add($"maxAccuracyRadiusKm {b.MaxAccuracyRadiusKm} and {a.MaxAccuracyRadiusKm}");
        }

        if (!string.Equals(a.AnonymousIpDb, b.AnonymousIpDb, StringComparison.Ordinal))
        {
            differences.Add($"anonymousIpDb {b.AnonymousIpDb ?? "none"} and {a.AnonymousIpDb ?? "none"}");
        }

        throw new MergeRefusedException($"Cannot merge '{other.Directory}' with '{first.Directory}': they were replayed with different settings ({string.Join(", ", differences)}).");
    }

    /// <summary>Outputs whose playedAt ranges reach into a common window could both hold plays of one (window, track): merging them would not be exact.</summary>
    private static void CheckDisjointWindows(IReadOnlyList<ReplayOutput> inputs, int windowMs)
    {
        var ranged = inputs
            .Where(i => i.Summary.FirstPlayedAtMs is not null && i.Summary.LastPlayedAtMs is not null)
            .OrderBy(i => i.Summary.FirstPlayedAtMs)
            .ToList();
        for (int i = 1; i < ranged.Count; i++)
        {
            ReplayOutput earlier = ranged.Take(i).MaxBy(r => r.Summary.LastPlayedAtMs)!;
            ReplayOutput later = ranged[i];
            if (Window(earlier.Summary.LastPlayedAtMs!.Value, windowMs) >= Window(later.Summary.FirstPlayedAtMs!.Value, windowMs))
            {
                throw new MergeRefusedException(
                    $"Cannot merge '{later.Directory}' with '{earlier.Directory}': their plays overlap in time ({Range(later.Summary)} and {Range(earlier.Summary)}), "
                    + "so a window's plays could be split between them. Merge combines replays of separate hours.");
            }
        }
    }

    private static long Window(long playedAtMs, int windowMs) => Math.DivRem(playedAtMs, windowMs, out long rem) - (rem < 0 ? 1 : 0);

    private static string Range(ReplaySummary s) =>
        $"{JsonText.FormatTime(s.FirstPlayedAtMs!.Value)} to {JsonText.FormatTime(s.LastPlayedAtMs!.Value)}";

    private static string Describe(CityDatabaseInfo db) => $"{db.Type} built {JsonText.FormatTime(db.BuildTime.ToUnixTimeMilliseconds())}";
}
