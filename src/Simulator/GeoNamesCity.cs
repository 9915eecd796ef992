namespace ListeningTogether.Simulator;

/// <summary>A city of the GeoNames list with its population and coordinates (degrees).</summary>
public readonly record struct GeoNamesCity(int GeonameId, string Name, string Country, int Population, double Lat, double Lon);
