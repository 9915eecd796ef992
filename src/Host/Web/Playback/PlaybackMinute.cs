namespace ListeningTogether.Host.Web.Playback;

/// <summary>What playback serves of one kept minute: the viewer rule's selection per window, and how many co-plays the minute had in all.</summary>
internal sealed record PlaybackMinute(long MinuteMs, int CoPlays, IReadOnlyList<PlaybackWindow> Windows)
{
    /// <summary>About how many views the minute holds, for the cache's size limit.</summary>
    public long Size => 1 + Windows.Sum(w => (long)w.CoPlays.Count);
}

/// <summary>A window with at least one co-play shown, and those co-plays as viewers get them.</summary>
internal sealed record PlaybackWindow(long WindowStartMs, IReadOnlyList<CoPlayView> CoPlays);
