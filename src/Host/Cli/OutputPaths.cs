using ListeningTogether.Host.Configuration;

namespace ListeningTogether.Host.Cli;

/// <summary>
/// Refuses an <c>--output</c> that cannot be written before any work (exit code 2): empty, a file where a folder is
/// needed, or a folder where a file is needed, including a file standing where a parent folder should be.
/// </summary>
internal static class OutputPaths
{
    /// <summary>An output folder, existing or to be created.</summary>
    /// <exception cref="SettingsException">The path cannot be such a folder; the message names the option and the path.</exception>
    public static string RequireFolder(string option, string? path)
    {
        string folder = NotEmpty(option, path);
        if (File.Exists(Path.TrimEndingDirectorySeparator(folder)))
        {
            throw new SettingsException($"{option} '{path}': this is a file, and a folder is needed");
        }

        RequireFoldersAbove(option, folder);
        return folder;
    }

    /// <summary>An output file, to be created or replaced.</summary>
    /// <exception cref="SettingsException">The path cannot be such a file; the message names the option and the path.</exception>
    public static string RequireFile(string option, string? path)
    {
        string file = NotEmpty(option, path);
        if (Directory.Exists(file))
        {
            throw new SettingsException($"{option} '{path}': this is a folder, and a file is needed");
        }

        RequireFoldersAbove(option, file);
        return file;
    }

    private static string NotEmpty(string option, string? path) =>
        string.IsNullOrWhiteSpace(path) ? throw new SettingsException($"{option} '{path}': the path is empty") : path;

    /// <summary>Each existing path above <paramref name="path"/> must be a folder, or nothing can be created below it.</summary>
    private static void RequireFoldersAbove(string option, string path)
    {
        for (string? above = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
            above is not null && !Directory.Exists(above);
            above = Path.GetDirectoryName(above))
        {
            if (File.Exists(above))
            {
                throw new SettingsException($"{option} '{path}': '{above}' is a file, and a folder is needed there");
            }
        }
    }
}
