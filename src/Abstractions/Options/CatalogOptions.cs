namespace ListeningTogether.Abstractions.Options;

/// <summary>Settings of the <c>Catalog</c> section: track titles and artists for the site.</summary>
public sealed class CatalogOptions
{
    public const string Section = "Catalog";

    public string? Path { get; set; }
}
