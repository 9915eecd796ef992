namespace ListeningTogether.Replay.Output.Sinks;

/// <summary>
/// Where the rows of the recent keys of a JSONL results file are: those of windows that start at most the horizon
/// before the newest window seen. Older windows are forgotten when <see cref="Forget"/> is called, so memory holds one
/// entry per co-play of the horizon, however long the process runs. Not thread-safe.
/// </summary>
internal sealed class RecentResultRows(long horizonMs)
{
    private const int MaxSpare = 4;

    private readonly SortedDictionary<long, Dictionary<string, ResultRow>> _windows = [];
    private readonly Stack<Dictionary<string, ResultRow>> _spare = new();
    private long _newestMs = long.MinValue;

    /// <summary>Keys of windows that start before this were forgotten: a row written for one may repeat an earlier row.</summary>
    public long ForgottenBeforeMs { get; private set; } = long.MinValue;

    /// <summary>Keys held.</summary>
    public int Count => _windows.Values.Sum(w => w.Count);

    /// <summary>The recent part of a whole file's index (<see cref="JsonlResultsFile.Index"/>).</summary>
    public static RecentResultRows From(Dictionary<(long WindowStartMs, string TrackId), ResultRow> file, long horizonMs)
    {
        var recent = new RecentResultRows(horizonMs);
        if (file.Count == 0)
        {
            return recent;
        }

        long newest = file.Keys.Max(k => k.WindowStartMs);
        recent._newestMs = newest;
        recent.ForgottenBeforeMs = SaturatingCutoff(newest, horizonMs);
        foreach (((long windowStartMs, string trackId), ResultRow row) in file)
        {
            if (windowStartMs >= recent.ForgottenBeforeMs)
            {
                recent.Set((windowStartMs, trackId), row);
            }
        }

        return recent;
    }

    public bool TryGet((long WindowStartMs, string TrackId) key, out ResultRow row)
    {
        if (_windows.TryGetValue(key.WindowStartMs, out Dictionary<string, ResultRow>? window))
        {
            return window.TryGetValue(key.TrackId, out row);
        }

        row = default;
        return false;
    }

    public void Set((long WindowStartMs, string TrackId) key, ResultRow row)
    {
        if (!_windows.TryGetValue(key.WindowStartMs, out Dictionary<string, ResultRow>? window))
        {
            window = _spare.TryPop(out Dictionary<string, ResultRow>? spare) ? spare : new Dictionary<string, ResultRow>(StringComparer.Ordinal);
            _windows.Add(key.WindowStartMs, window);
        }

        window[key.TrackId] = row;
        _newestMs = Math.Max(_newestMs, key.WindowStartMs);
    }

    public void Remove((long WindowStartMs, string TrackId) key)
    {
        if (_windows.TryGetValue(key.WindowStartMs, out Dictionary<string, ResultRow>? window))
        {
            window.Remove(key.TrackId);
        }
    }

    /// <summary>Forgets the keys of windows that start more than the horizon before the newest window seen.</summary>
    public void Forget()
    {
        long cutoff = SaturatingCutoff(_newestMs, horizonMs);
        while (_windows.Count > 0)
        {
            long oldest = Oldest();
            if (oldest >= cutoff)
            {
                break;
            }

            Dictionary<string, ResultRow> window = _windows[oldest];
            _windows.Remove(oldest);
            if (_spare.Count < MaxSpare)
            {
                window.Clear();
                _spare.Push(window);
            }
        }

        ForgottenBeforeMs = Math.Max(ForgottenBeforeMs, cutoff);
    }

    private long Oldest()
    {
        using SortedDictionary<long, Dictionary<string, ResultRow>>.KeyCollection.Enumerator e = _windows.Keys.GetEnumerator();
        e.MoveNext();
        return e.Current;
    }

    private static long SaturatingCutoff(long newestMs, long horizonMs) =>
        newestMs == long.MinValue ? long.MinValue : newestMs - horizonMs;
}
