using ListeningTogether.Abstractions;

namespace ListeningTogether.Pipeline.Tests.Fixtures;

/// <summary>Named places (GeoNames ids and coordinates of the real cities) for co-play scenarios.</summary>
public static class Places
{
    public static readonly Location Osaka = new(1853909, "Osaka", "JP", 34.6937, 135.5022);
    public static readonly Location Lima = new(3936456, "Lima", "PE", -12.0432, -77.0282);
    public static readonly Location London = new(2643743, "London", "GB", 51.50853, -0.12574);
    public static readonly Location Reading = new(2639577, "Reading", "GB", 51.45625, -0.97113);
    public static readonly Location Paris = new(2988507, "Paris", "FR", 48.85341, 2.3488);
    public static readonly Location Tokyo = new(1850147, "Tokyo", "JP", 35.6895, 139.69171);
    public static readonly Location Sydney = new(2147714, "Sydney", "AU", -33.86785, 151.20732);
    public static readonly Location Auckland = new(2193733, "Auckland", "NZ", -36.84853, 174.76349);
    public static readonly Location Madrid = new(3117735, "Madrid", "ES", 40.4165, -3.70256);
    public static readonly Location Linkoping = new(2694762, "Linköping", "SE", 58.4167, 15.6167);

    /// <summary>The same city as <paramref name="place"/> as another network of the database places it.</summary>
    public static Location Elsewhere(this Location place, double lat, double lon) => place with { Lat = lat, Lon = lon };
}
