namespace ListeningTogether.Abstractions;

/// <summary>Two far-apart places that played the same track in the same window.</summary>
/// <param name="WindowStartMs">Window start, Unix epoch milliseconds (UTC).</param>
/// <param name="TrackId">The track.</param>
/// <param name="Plays">Distinct eligible plays of the track in the window, over all locations.</param>
/// <param name="Locations">Distinct locations of those plays, before the location cap.</param>
/// <param name="A">The place with the smaller GeoNames id.</param>
/// <param name="B">The place with the larger GeoNames id.</param>
/// <param name="DistanceKm">Great-circle distance between A and B.</param>
public sealed record CoPlay(
    long WindowStartMs,
    string TrackId,
    long Plays,
    long Locations,
    Location A,
    Location B,
    double DistanceKm);
