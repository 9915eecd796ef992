using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Results;
using ListeningTogether.Replay.Output.Sinks;
using Microsoft.Extensions.Logging.Abstractions;

namespace ListeningTogether.Host.Tests.Playback;

/// <summary>Playback's inputs written by the project's own writers: replay outputs' <c>coplays.parquet</c> and the live results sink's minute files.</summary>
internal static class PlaybackFiles
{
    public static readonly DateTimeOffset Base = new(2026, 11, 26, 14, 0, 0, TimeSpan.Zero);

    private static readonly IReadOnlyDictionary<string, string> Metadata = CoPlayParquetMetadata.Of(1000, 100, 250, cities: null);

    /// <summary>Epoch ms of <see cref="Base"/> plus <paramref name="minutes"/> and <paramref name="seconds"/>.</summary>
    public static long At(int minutes, double seconds = 0) => Base.AddMinutes(minutes).AddSeconds(seconds).ToUnixTimeMilliseconds();

    public static CoPlay CoPlay(long windowStartMs, string trackId, double distanceKm = 1000, long plays = 2) =>
        new(windowStartMs, trackId, plays, 2, new Location(1, "Tokyo", "JP", 35.6895, 139.6917), new Location(2, "Paris", "FR", 48.8534, 2.3488), distanceKm);

    /// <summary>A replay output folder holding <c>coplays.parquet</c> of <paramref name="coPlays"/>, sorted as results are.</summary>
    public static async Task<string> ReplayOutputAsync(string folder, IEnumerable<CoPlay> coPlays)
    {
        Directory.CreateDirectory(folder);
        await using (FileStream file = File.Create(Path.Combine(folder, "coplays.parquet")))
        {
            await using CoPlayParquetWriter writer = await CoPlayParquetWriter.CreateAsync(file, Metadata, CancellationToken.None);
            await writer.WriteAsync([.. coPlays.OrderBy(c => c.WindowStartMs).ThenBy(c => c.TrackId, StringComparer.Ordinal)], CancellationToken.None);
            await writer.CompleteAsync(CancellationToken.None);
        }

        return folder;
    }

    /// <summary>Minute files of <paramref name="coPlays"/> under <paramref name="root"/>, as the streaming results sink writes them.</summary>
    public static async Task LiveAsync(string root, IEnumerable<CoPlay> coPlays)
    {
        using var sink = new ParquetCoPlaySink(root, Metadata, NullLogger<ParquetCoPlaySink>.Instance);
        foreach (var window in coPlays.GroupBy(c => c.WindowStartMs).OrderBy(g => g.Key))
        {
            await sink.WriteAsync([.. window], CancellationToken.None);
        }
    }

    /// <summary><paramref name="count"/> co-plays in the window at <paramref name="windowStartMs"/>, tracks t0, t1, ….</summary>
    public static IEnumerable<CoPlay> Window(long windowStartMs, int count, string prefix = "t") =>
        Enumerable.Range(0, count).Select(i => CoPlay(windowStartMs, $"{prefix}{i}", 200 + (i * 37 % 11 * 100)));
}
