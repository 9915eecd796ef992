namespace ListeningTogether.Abstractions;

/// <summary>A place as the City database gives it: a city's GeoNames id, its English name, country and coordinates.</summary>
public sealed record Location(long GeonameId, string? City, string? Country, double Lat, double Lon);
