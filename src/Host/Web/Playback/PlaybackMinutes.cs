using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Pipeline.Windowing;
using ListeningTogether.Replay.Output.Results;
using ListeningTogether.Replay.Output.Sinks;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Host.Web.Playback;

/// <summary>
/// The kept minutes of a range as playback serves them: each minute's co-plays read from its source, selected per
/// window by <see cref="ViewerSelection"/> (the live site's rule; a minute starts a second, so each minute is
/// selected on its own) and turned into views. Minutes are cached by source file and its stamp, so a live minute
/// file that is rewritten is read again; the cache holds at most <see cref="CacheViews"/> views.
/// </summary>
internal sealed class PlaybackMinutes(PlaybackIndex index, CoPlayViews views, IOptions<PipelineOptions> pipeline, PlaybackMetrics metrics) : IDisposable
{
    /// <summary>The cache's bound in co-play views (a minute also counts 1): about 60 MB, over two hours of minutes at the default 20 a second.</summary>
    public const long CacheViews = 200_000;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = CacheViews });

    /// <summary>The kept range now (epoch ms), or null when nothing is kept.</summary>
    public (long FromMs, long ToMs)? Range() => index.Current().Range();

    /// <summary>The <paramref name="count"/> minutes from <paramref name="firstMinuteMs"/>, null where no data is kept.</summary>
    public async Task<PlaybackMinute?[]> GetAsync(long firstMinuteMs, int count, CancellationToken cancellationToken)
    {
        long[] minutes = [.. Enumerable.Range(0, count).Select(i => firstMinuteMs + (i * CoPlayMinuteFiles.MinuteMs))];
        PlaybackSnapshot snapshot = index.Current(minutes);
        var result = new PlaybackMinute?[count];
        var toRead = new Dictionary<string, List<(int Slot, MinuteKey Key, MinuteSource Source)>>(StringComparer.Ordinal);
        int hits = 0;
        for (int i = 0; i < count; i++)
        {
            if (snapshot.SourceOf(minutes[i]) is not MinuteSource source || FileStamp.Of(source.Path) is not FileStamp stamp)
            {
                continue;
            }

            var key = new MinuteKey(minutes[i], source.Path, stamp);
            if (_cache.TryGetValue(key, out PlaybackMinute? cached))
            {
                result[i] = cached;
                hits++;
                continue;
            }

            if (!toRead.TryGetValue(source.Path, out var slots))
            {
                slots = [];
                toRead.Add(source.Path, slots);
            }

            slots.Add((i, key, source));
        }

        int reads = 0;
        foreach (var slots in toRead.Values)
        {
            Dictionary<long, List<CoPlay>>? coPlays = await ReadAsync(slots[0].Source, [.. slots.Select(s => s.Key.MinuteMs)], NewSelection().MaxPerWindow, cancellationToken).ConfigureAwait(false);
            if (coPlays is null)
            {
                continue;
            }

            foreach (var (slot, key, source) in slots)
            {
                List<CoPlay> shown = coPlays.GetValueOrDefault(key.MinuteMs) ?? [];
                PlaybackMinute minute = Select(key.MinuteMs, shown, source.Replay?.CountOf(key.MinuteMs) ?? shown.Count);
                _cache.Set(key, minute, new MemoryCacheEntryOptions { Size = minute.Size });
                result[slot] = minute;
                reads++;
            }
        }

        metrics.Minutes(hits, reads);
        return result;
    }

    public void Dispose() => _cache.Dispose();

    /// <summary>The co-plays of the minutes from their source; null when its file went away (a live minute removed by retention).</summary>
    private static async Task<Dictionary<long, List<CoPlay>>?> ReadAsync(MinuteSource source, long[] minutes, int maxPerWindow, CancellationToken cancellationToken)
    {
        try
        {
            if (source.Replay is { } replay)
            {
                return replay.ReadMinutes(minutes, maxPerWindow, cancellationToken);
            }

            // A live minute file holds one minute.
            List<CoPlay> rows = await CoPlayParquetReader.ReadAsync(source.Path, cancellationToken).ConfigureAwait(false);
            return new Dictionary<long, List<CoPlay>> { [minutes[0]] = [.. rows.Where(c => CoPlayMinuteFiles.MinuteOf(c.WindowStartMs) == minutes[0])] };
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !File.Exists(source.Path))
        {
            return null;
        }
    }

    private ViewerSelection NewSelection() => new(pipeline.Value.MaxPerSecond, pipeline.Value.WindowMs);

    /// <param name="coPlays">The minute's co-plays a viewer could be shown: all of them, or a replay output's candidates.</param>
    /// <param name="count">How many co-plays the minute has in all.</param>
    private PlaybackMinute Select(long minuteMs, List<CoPlay> coPlays, int count)
    {
        var selection = NewSelection();
        var windows = new List<PlaybackWindow>();
        foreach (var window in coPlays.OrderBy(c => c.WindowStartMs).GroupBy(c => c.WindowStartMs))
        {
            IReadOnlyList<CoPlay> shown = selection.Select(window.Key, [.. window]);
            if (shown.Count > 0)
            {
                windows.Add(new PlaybackWindow(window.Key, [.. shown.Select(views.From)]));
            }
        }

        return new PlaybackMinute(minuteMs, count, windows);
    }

    private readonly record struct MinuteKey(long MinuteMs, string Path, FileStamp Stamp);
}
