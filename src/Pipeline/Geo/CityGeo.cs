using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;

namespace ListeningTogether.Pipeline.Geo;

/// <summary>What the City database says of one record: a location, or why there is none usable.</summary>
/// <param name="Location">The city and its coordinates; null when the record has no city id or no coordinates.</param>
/// <param name="AccuracyRadiusKm">The record's accuracy radius, if it has one.</param>
public sealed record CityGeo(Location? Location, int? AccuracyRadiusKm)
{
    /// <summary>The location with its distance terms precomputed, shared by every play of this record.</summary>
    public GeoPoint? Point { get; } = Location is null ? null : new GeoPoint(Location);

    /// <summary>A dense number the database gives each record it has decoded (see <see cref="CityDatabase.ById"/>).</summary>
    public int Id { get; init; } = -1;
}
