using System.Collections.Frozen;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Web;
using ListeningTogether.Replay.Input;

namespace ListeningTogether.Host.Configuration;

/// <summary>
/// The top-level settings some verb reads: the project's sections and those of ASP.NET Core. A setting outside them
/// (a misspelt section, say) is read by no verb, so it gets one warning; unknown keys inside a section are refused
/// when a verb binds the section (<see cref="ValidatedOptions"/>).
/// </summary>
internal static class SettingSections
{
    private static readonly FrozenSet<string> Known = new[]
    {
        PipelineOptions.Section,
        TransportOptions.Section,
        SiteOptions.Section,
        GeoOptions.Section,
        SimulatorOptions.Section,
        ResultsOptions.Section,
        DeadLetterOptions.Section,
        CatalogOptions.Section,
        ArchiveOptions.Section,
        PushOptions.Section,
        BlobInputOptions.Section,
        "Management",
        "Sinks",
        "Playback",

        // ASP.NET Core's own.
        "Urls",
        "AllowedHosts",
        "Logging",
        "Kestrel",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>One warning for each top-level setting no verb reads.</summary>
    public static IEnumerable<string> Warnings(IConfiguration configuration) =>
        configuration.GetChildren()
            .Where(section => !Known.Contains(section.Key))
            .Select(section => $"setting '{section.Key}' is read by no verb and is ignored (sections: {string.Join(", ", Known)})");
}
