using ListeningTogether.Replay.Output.Summary;

namespace ListeningTogether.Replay.Report;

/// <summary>One bar or point of the report's time charts: a span of whole minutes and its counts.</summary>
internal readonly record struct MinuteBin(long StartMs, long EligiblePlays, long CoPlays);

/// <summary>
/// The per-minute counts laid out for the charts and their table: every minute from the first to the last (zeros
/// included), or, past <see cref="MaxBins"/> minutes, bins of a round number of minutes, so a chart never needs
/// more than <see cref="MaxBins"/> points however long the replayed span is.
/// </summary>
internal sealed class MinuteBins
{
    public const int MaxBins = 1440;

    private const long MinuteMs = 60_000;
    private static readonly int[] RoundMinutes = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440];

    private MinuteBins(int minutesPerBin, IReadOnlyList<MinuteBin> bins)
    {
        MinutesPerBin = minutesPerBin;
        Bins = bins;
    }

    public int MinutesPerBin { get; }

    public IReadOnlyList<MinuteBin> Bins { get; }

    public long BinMs => MinutesPerBin * MinuteMs;

    public static MinuteBins Of(IReadOnlyList<MinuteTotal> perMinute)
    {
        if (perMinute.Count == 0)
        {
            return new MinuteBins(1, []);
        }

        long first = perMinute[0].MinuteStartMs;
        long minutes = ((perMinute[^1].MinuteStartMs - first) / MinuteMs) + 1;

        // Bins start at multiples of their length, so the first and the last may be partly outside the minutes.
        int perBin = RoundMinutes.FirstOrDefault(m => (minutes + (2 * m) - 2) / m <= MaxBins);
        if (perBin == 0)
        {
            long days = (minutes + (1440L * (MaxBins - 1)) - 1) / (1440L * (MaxBins - 1));
            perBin = (int)Math.Min(int.MaxValue / MinuteMs, 1440 * days);
        }

        long binMs = perBin * MinuteMs;
        long start = first - (first % binMs);
        int count = (int)(((perMinute[^1].MinuteStartMs - start) / binMs) + 1);
        var plays = new long[count];
        var coPlays = new long[count];
        foreach (MinuteTotal minute in perMinute)
        {
            int i = (int)((minute.MinuteStartMs - start) / binMs);
            plays[i] += minute.EligiblePlays;
            coPlays[i] += minute.CoPlays;
        }

        return new MinuteBins(perBin, [.. Enumerable.Range(0, count).Select(i => new MinuteBin(start + (i * binMs), plays[i], coPlays[i]))]);
    }
}
