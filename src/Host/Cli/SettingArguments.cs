using System.CommandLine;
using ListeningTogether.Host.Configuration;

namespace ListeningTogether.Host.Cli;

/// <summary>
/// The tokens a verb does not know itself must be settings, <c>--Section:Key=value</c> or <c>--Key=value</c>; anything
/// else is refused, naming the token: an unknown verb, an unknown option, or a setting without its value.
/// </summary>
internal static class SettingArguments
{
    /// <returns>The setting arguments, for <see cref="AppConfiguration.Build"/>.</returns>
    /// <exception cref="SettingsException">A token that is not a setting.</exception>
    public static IReadOnlyList<string> Of(ParseResult parse)
    {
        IReadOnlyList<string> tokens = parse.UnmatchedTokens;
        foreach (string token in tokens)
        {
            Check(token, parse.CommandResult.Command);
        }

        return tokens;
    }

    private static void Check(string token, Command command)
    {
        if (!token.StartsWith("--", StringComparison.Ordinal))
        {
            throw command is RootCommand root
                ? new SettingsException($"unknown verb '{token}' (verbs: {string.Join(", ", root.Subcommands.Select(c => c.Name))}; see lt --help)")
                : new SettingsException($"unexpected argument '{token}' for {command.Name} (see lt {command.Name} --help); settings are given as --Section:Key=value");
        }

        int equals = token.IndexOf('=', StringComparison.Ordinal);
        if (equals == 2)
        {
            throw new SettingsException($"'{token}' names no setting; settings are given as --Section:Key=value");
        }

        if (equals < 0)
        {
            throw token.Contains(':', StringComparison.Ordinal)
                ? new SettingsException($"{token} has no value; settings are given as {token}=value")
                : new SettingsException($"unknown option '{token}' (see lt {(command is RootCommand ? "" : command.Name + " ")}--help); settings are given as --Section:Key=value");
        }
    }
}
