namespace ListeningTogether.Host.Configuration;

/// <summary>
/// What <c>serve</c> adds to its settings: <c>--playback DIR...</c> as <c>Playback:Paths</c>, and on the embedded
/// defaults (InMemory transport, no <c>Results:ParquetDir</c>) live results kept under <c>data/results/</c> for
/// <c>Results:RetentionHours</c> (24 unless set), so a fresh run can rewind its own past.
/// </summary>
internal static class ServeDefaults
{
    public const int DefaultRetentionHours = 24;

    /// <param name="laterSettings"><c>--Section:Key=value</c> arguments that came after <c>--playback</c>'s folders.</param>
    public static IConfigurationRoot Apply(IConfigurationRoot configuration, IReadOnlyList<string>? playbackPaths, IReadOnlyList<string>? laterSettings = null)
    {
        if (laterSettings is { Count: > 0 })
        {
            configuration = new ConfigurationBuilder().AddConfiguration(configuration).AddCommandLine([.. laterSettings]).Build();
        }

        var added = new Dictionary<string, string?>();
        for (int i = 0; i < (playbackPaths?.Count ?? 0); i++)
        {
            added[$"Playback:Paths:{i}"] = playbackPaths![i];
        }

        string? kind = configuration["Transport:Kind"];
        bool inMemory = string.IsNullOrEmpty(kind) || string.Equals(kind, "InMemory", StringComparison.OrdinalIgnoreCase);
        if (inMemory && string.IsNullOrEmpty(configuration["Results:ParquetDir"]))
        {
            added["Results:ParquetDir"] = RepositoryPaths.DataFile("results");
            if (string.IsNullOrEmpty(configuration["Results:RetentionHours"]))
            {
                added["Results:RetentionHours"] = DefaultRetentionHours.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return added.Count == 0 && laterSettings is not { Count: > 0 }
            ? configuration
            : new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(added).Build();
    }
}
