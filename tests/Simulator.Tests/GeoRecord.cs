using MaxMind.Db;

namespace ListeningTogether.Simulator.Tests;

/// <summary>The few City-database fields the tests check, decoded by MaxMind.Db's own reader.</summary>
public sealed class GeoRecord
{
    [MapKey("city")]
    public GeoCity? City { get; init; }

    [MapKey("location")]
    public GeoLocation? Location { get; init; }

    public long? GeonameId => City?.GeonameId;
}

public sealed class GeoCity
{
    [MapKey("geoname_id")]
    public long? GeonameId { get; init; }
}

public sealed class GeoLocation
{
    [MapKey("latitude")]
    public double? Latitude { get; init; }

    [MapKey("longitude")]
    public double? Longitude { get; init; }

    [MapKey("accuracy_radius")]
    public int? AccuracyRadius { get; init; }
}
