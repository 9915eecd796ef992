using System.ComponentModel.DataAnnotations;

namespace ListeningTogether.Host.Web.Playback;

/// <summary>Settings of the <c>Playback</c> section: the replay outputs the site can play back, and how often a client may ask.</summary>
public sealed class PlaybackOptions
{
    public const string Section = "Playback";

    /// <summary>
    /// Replay output folders (holding <c>coplays.parquet</c>), or folders of such folders (e.g. hour outputs side by
    /// side), in order of precedence: where two cover the same minute, the first listed wins. <c>serve --playback</c> sets it.
    /// </summary>
    public string[] Paths { get; set; } = [];

    /// <summary>Playback API requests one client address may make in a minute; more are refused with 429.</summary>
    [Range(1, 1_000_000)]
    public int MaxRequestsPerMinutePerAddress { get; set; } = 120;
}
