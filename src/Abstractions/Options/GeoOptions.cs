namespace ListeningTogether.Abstractions.Options;

/// <summary>Settings of the <c>Geo</c> section: the MaxMind databases.</summary>
public sealed class GeoOptions
{
    public const string Section = "Geo";

    /// <summary>City database path; empty means the database the project's set-up installs.</summary>
    public string? CityDb { get; set; }

    /// <summary>Optional Anonymous-IP database path.</summary>
    public string? AnonymousIpDb { get; set; }
}
