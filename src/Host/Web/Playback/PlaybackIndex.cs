using ListeningTogether.Replay.Playback;

namespace ListeningTogether.Host.Web.Playback;

/// <summary>
/// Which minutes are kept where, rescanned every <see cref="RescanInterval"/> (live files appear every minute) and
/// when a request asks for a minute no source keeps (at most once per <see cref="MinRescanGap"/>). A replay output's
/// minute index is read once per version of its file.
/// </summary>
internal sealed partial class PlaybackIndex(PlaybackSources sources, TimeProvider clock, ILogger<PlaybackIndex> logger)
{
    public static readonly TimeSpan RescanInterval = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan MinRescanGap = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (FileStamp Stamp, CoPlayFileMinutes Minutes)> _replayFiles = new(StringComparer.Ordinal);
    private PlaybackSnapshot _snapshot = PlaybackSnapshot.Empty;
    private long? _scannedAt;

    /// <summary>The kept minutes now; rescanned first when stale, or when one of <paramref name="wantedMinutesMs"/> is not kept.</summary>
    public PlaybackSnapshot Current(IEnumerable<long>? wantedMinutesMs = null)
    {
        lock (_gate)
        {
            long now = clock.GetTimestamp();
            TimeSpan? age = _scannedAt is long at ? clock.GetElapsedTime(at, now) : null;
            bool stale = age is null || age >= RescanInterval;
            bool missing = !stale && age >= MinRescanGap && wantedMinutesMs is not null && wantedMinutesMs.Any(m => _snapshot.SourceOf(m) is null);
            if (stale || missing)
            {
                _snapshot = Scan();
                _scannedAt = now;
            }

            return _snapshot;
        }
    }

    private PlaybackSnapshot Scan()
    {
        var replay = new List<CoPlayFileMinutes>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in sources.ReplayFiles())
        {
            if (!seen.Add(file) || FileStamp.Of(file) is not FileStamp stamp)
            {
                continue;
            }

            if (!_replayFiles.TryGetValue(file, out var known) || known.Stamp != stamp)
            {
                try
                {
                    long started = clock.GetTimestamp();
                    known = (stamp, CoPlayFileMinutes.Read(file, CancellationToken.None));
                    _replayFiles[file] = known;
                    double ms = clock.GetElapsedTime(started).TotalMilliseconds;
                    LogIndexed(file, ms);
                }
                catch (Exception e) when (e is InvalidDataException or IOException)
                {
                    LogUnreadable(file, e.Message);
                    continue;
                }
            }

            replay.Add(known.Minutes);
        }

        foreach (string gone in _replayFiles.Keys.Where(f => !seen.Contains(f)).ToList())
        {
            _replayFiles.Remove(gone);
        }

        var live = sources.LiveRoot is { } root ? LiveMinuteFiles.Minutes(root).ToHashSet() : [];
        return new PlaybackSnapshot(replay, sources.LiveRoot, live);
    }

    [LoggerMessage(551, LogLevel.Information, "Playback: indexed the minutes of {File} in {Ms:F0} ms")]
    private partial void LogIndexed(string file, double ms);

    [LoggerMessage(552, LogLevel.Warning, "Playback: skipped {File}, which cannot be read: {Reason}")]
    private partial void LogUnreadable(string file, string reason);
}
