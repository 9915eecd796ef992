namespace ListeningTogether.Host.Configuration;

/// <summary>
/// Settings from <c>appsettings.json</c> beside the executable, then the environment (<c>LT__Section__Key</c>),
/// then <c>--Section:Key=value</c> arguments, later sources winning.
/// </summary>
internal static class AppConfiguration
{
    public const string FileName = "appsettings.json";

    /// <param name="settingArguments"><c>--Section:Key=value</c> or <c>--Key=value</c> arguments.</param>
    /// <param name="debugLogging">Logs at Debug level unless a setting says otherwise (<c>--verbose</c>).</param>
    /// <exception cref="SettingsException">An argument that is not a setting, or an appsettings.json that cannot be read.</exception>
    public static IConfigurationRoot Build(IEnumerable<string> settingArguments, bool debugLogging = false)
    {
        var args = settingArguments.ToArray();
        foreach (string arg in args)
        {
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.IndexOf('=', StringComparison.Ordinal) <= 2)
            {
                throw new SettingsException($"Unrecognized argument '{arg}'. Settings are given as --Section:Key=value.");
            }
        }

        var builder = new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory);
        if (debugLogging)
        {
            builder.AddInMemoryCollection([new("Logging:LogLevel:Default", "Debug")]);
        }

        builder
            .AddJsonFile(FileName, optional: true)
            .AddEnvironmentVariables("LT__")
            .AddCommandLine(args);
        try
        {
            return builder.Build();
        }
        catch (InvalidDataException e)
        {
            string path = Path.Combine(AppContext.BaseDirectory, FileName);
            throw new SettingsException($"{FileName} '{path}': {Cause(e)}");
        }
    }

    /// <summary>The innermost message: the JSON reader's, with its line and position.</summary>
    private static string Cause(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e is System.Text.Json.JsonException ? $"not valid JSON: {e.Message}" : e.Message;
    }
}
