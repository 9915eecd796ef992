using System.CommandLine;
using ListeningTogether.Host.Configuration;

namespace ListeningTogether.Host.Cli;

/// <summary>
/// <c>--playback DIR...</c>: replay outputs the site can play back (<c>Playback:Paths</c>). The parser gives the
/// option every token up to the next known option, so <c>--Section:Key=value</c> settings after its folders arrive
/// among them: <see cref="Split"/> hands those back as settings.
/// </summary>
internal static class PlaybackOption
{
    public static Option<string[]> Create() => new("--playback")
    {
        Description = "Replay output folders (or folders of them) the site can play back, first listed first (Playback:Paths)",
        AllowMultipleArgumentsPerToken = true,
        Arity = ArgumentArity.OneOrMore,
    };

    /// <summary>The folders, and the <c>--Section:Key=value</c> settings that followed them.</summary>
    /// <exception cref="SettingsException">A token after the folders that is not a setting.</exception>
    public static (string[] Folders, string[] Settings) Split(string[]? values)
    {
        string[] all = values ?? [];
        string[] folders = [.. all.TakeWhile(v => !v.StartsWith("--", StringComparison.Ordinal))];
        string[] settings = all[folders.Length..];
        foreach (string setting in settings)
        {
            if (setting.IndexOf('=', StringComparison.Ordinal) <= 2)
            {
                throw new SettingsException($"Unrecognized argument '{setting}'. Settings are given as --Section:Key=value.");
            }
        }

        if (settings.Length > 0 && folders.Length == 0)
        {
            throw new SettingsException("--playback needs at least one folder.");
        }

        return (folders, settings);
    }
}
