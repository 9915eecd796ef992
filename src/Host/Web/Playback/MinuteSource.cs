using ListeningTogether.Replay.Playback;

namespace ListeningTogether.Host.Web.Playback;

/// <summary>Where a minute's co-plays are kept: a replay output's file (with its minute index), or a live minute file.</summary>
internal sealed record MinuteSource(string Path, CoPlayFileMinutes? Replay)
{
    public bool IsLive => Replay is null;
}
