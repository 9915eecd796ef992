using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;

namespace ListeningTogether.Host.Web.Playback;

/// <summary>Binds and checks <see cref="PlaybackOptions"/>: every path given must be an existing folder, so a typo stops the start naming it.</summary>
internal static class PlaybackSettings
{
    public static PlaybackOptions Bind(IConfiguration configuration)
    {
        var playback = ValidatedOptions.Bind<PlaybackOptions>(configuration, PlaybackOptions.Section);

        // An empty entry is no path: an overlay can take back the base's folder with Playback__Paths__0= .
        playback.Paths = [.. playback.Paths.Where(p => !string.IsNullOrWhiteSpace(p))];
        foreach (string path in playback.Paths)
        {
            if (!Directory.Exists(path))
            {
                throw new SettingsException($"Invalid setting {PlaybackOptions.Section}:{nameof(PlaybackOptions.Paths)}: '{path}' is not a folder (a replay output folder, or a folder of them).");
            }
        }

        return playback;
    }

    /// <summary>Where the site reads from: the replay outputs, then the live results folder when one is configured.</summary>
    public static PlaybackSources Sources(PlaybackOptions playback, ResultsOptions results) =>
        new([.. playback.Paths.Select(Path.GetFullPath)], results.ParquetDir is { Length: > 0 } live ? Path.GetFullPath(live) : null);
}
