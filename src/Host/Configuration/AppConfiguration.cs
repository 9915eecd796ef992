namespace ListeningTogether.Host.Configuration;

/// <summary>
/// Settings from <c>appsettings.json</c> beside the executable, then the environment (<c>LT__Section__Key</c>),
/// then <c>--Section:Key=value</c> arguments, later sources winning.
/// </summary>
internal static class AppConfiguration
{
    public static IConfigurationRoot Build(IEnumerable<string> settingArguments)
    {
        var args = settingArguments.ToArray();
        foreach (string arg in args)
        {
            if (!arg.StartsWith("--", StringComparison.Ordinal) || !arg.Contains(':', StringComparison.Ordinal))
            {
                throw new SettingsException($"Unrecognized argument '{arg}'. Settings are given as --Section:Key=value.");
            }
        }

        return new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables("LT__")
            .AddCommandLine(args)
            .Build();
    }
}
