using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;

namespace ListeningTogether.Pipeline.Geo;

/// <summary>What the City database says of one record: a location, or why there is none usable.</summary>
public sealed record CityGeo
{
    /// <param name="location">The city and its coordinates; null when the record has no city id or no coordinates.</param>
    /// <param name="accuracyRadiusKm">The record's accuracy radius, if it has one.</param>
    public CityGeo(Location? location, int? accuracyRadiusKm)
        : this(location is null ? null : new GeoPoint(location), accuracyRadiusKm)
    {
    }

    /// <summary>A record whose place is an existing point (the database shares one per distinct place).</summary>
    public CityGeo(GeoPoint? point, int? accuracyRadiusKm)
    {
        Point = point;
        AccuracyRadiusKm = accuracyRadiusKm;
    }

    /// <summary>The city and its coordinates; null when the record has no city id or no coordinates.</summary>
    public Location? Location => Point?.Location;

    /// <summary>The record's accuracy radius, if it has one.</summary>
    public int? AccuracyRadiusKm { get; }

    /// <summary>The location with its distance terms precomputed, shared by every play of this record (and, from a <see cref="CityDatabase"/>, of its place).</summary>
    public GeoPoint? Point { get; }

    /// <summary>A dense number the database gives each record it has decoded (its index in the database's table of records).</summary>
    public int Id { get; init; } = -1;
}
