using System.Runtime.CompilerServices;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Pipeline.Matching;

/// <summary>
/// A location with what distance computations need precomputed once: latitude and longitude in radians, the
/// cosine of the latitude, and the unit vector on the sphere (for ranking pairs by a dot product).
/// </summary>
public sealed class GeoPoint
{
    public GeoPoint(Location location)
        : this(location, -1)
    {
    }

    /// <summary>A point of a <see cref="Geo.CityDatabase"/>'s distinct place number <paramref name="placeId"/>.</summary>
    internal GeoPoint(Location location, int placeId)
    {
        Location = location;
        PlaceId = placeId;
        GeonameId = location.GeonameId;
        Phi = Angles.Radians(location.Lat);
        Lambda = Angles.Radians(location.Lon);
        CosPhi = Math.Cos(Phi);
        X = CosPhi * Math.Cos(Lambda);
        Y = CosPhi * Math.Sin(Lambda);
        Z = Math.Sin(Phi);
    }

    public Location Location { get; }

    public double Phi { get; }

    public double Lambda { get; }

    public double CosPhi { get; }

    public double X { get; }

    public double Y { get; }

    public double Z { get; }

    public long GeonameId { get; }

    /// <summary>
    /// The place's dense number (0, 1, ...) in the <see cref="Geo.CityDatabase"/> that made the point, one per distinct
    /// location (equal locations share one point); -1 for points made elsewhere (decoders of repartitioned plays).
    /// </summary>
    public int PlaceId { get; }

    /// <summary>The exact haversine distance to another point.</summary>
    public double DistanceKm(GeoPoint other) => Haversine.DistanceKm(Phi, Lambda, CosPhi, other.Phi, other.Lambda, other.CosPhi);

    /// <summary>Cosine of the central angle to another point: smaller means farther apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Dot(GeoPoint other) => (X * other.X) + (Y * other.Y) + (Z * other.Z);
}
