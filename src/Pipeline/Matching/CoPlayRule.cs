using ListeningTogether.Abstractions;

namespace ListeningTogether.Pipeline.Matching;

/// <summary>
/// The co-play rule of DESIGN.md ("Co-play (the exact rule)", with "Location"), clause by clause, in plain code:
/// what one (window, track) group of eligible plays gives. Windows are <see cref="Windowing.WindowAssigner"/>'s:
/// tumbling, aligned to the Unix epoch. This is where the rule is stated; the pipeline runs
/// <see cref="Fast.CoPlayMatcher"/>, which a property test holds equal to it.
/// </summary>
public static class CoPlayRule
{
    /// <summary>R, the radius of the sphere distances are measured on.</summary>
    public const double EarthRadiusKm = 6371.0088;

    // "Ordinal" for event ids as for track ids: by their UTF-8 bytes, which is code point order (UTF-16 would put
    // U+E000..U+FFFF above the supplementary characters).
    private static readonly Comparer<string> Ordinal = Comparer<string>.Create(CoPlayOrder.CompareUtf8);

    /// <summary>The co-play of one (window, track) group of eligible copies, or null when it has none.</summary>
    public static CoPlay? Match(long windowStartMs, string trackId, IEnumerable<EligiblePlay> copies, MatchingOptions options)
    {
        IReadOnlyList<EligiblePlay> plays = DistinctPlays(copies);
        IReadOnlyList<CountedLocation> locations = Locations(plays);
        IReadOnlyList<CountedLocation> kept = Kept(locations, options.MaxLocations);
        if (FarthestPair(kept, options.MinDistanceKm) is not var (a, b, distanceKm))
        {
            return null;
        }

        // plays: distinct eligible plays (all locations); locations: distinct locations (before the cap).
        return new CoPlay(windowStartMs, trackId, plays.Count, locations.Count, a, b, distanceKm);
    }

    /// <summary>
    /// Eligible plays are counted by distinct eventId: a redelivered duplicate counts once. If copies of one eventId
    /// disagree, the copy with the smallest (geonameId, playedAt, lat, lon) stands.
    /// </summary>
    public static IReadOnlyList<EligiblePlay> DistinctPlays(IEnumerable<EligiblePlay> copies) =>
        [.. copies
            .GroupBy(copy => copy.EventId, StringComparer.Ordinal)
            .Select(copiesOfOnePlay => copiesOfOnePlay
                .OrderBy(copy => copy.Location.GeonameId)
                .ThenBy(copy => copy.PlayedAtMs)
                .ThenBy(copy => copy.Location.Lat)
                .ThenBy(copy => copy.Location.Lon)
                .First())];

    /// <summary>
    /// L, the distinct locations, each with its play count. Two plays are at the same place when their city geoname
    /// ids are equal; a location takes the coordinates of its play with the earliest playedAt, ties broken by the
    /// smaller eventId.
    /// </summary>
    private static IReadOnlyList<CountedLocation> Locations(IEnumerable<EligiblePlay> plays) =>
        [.. plays
            .GroupBy(play => play.Location.GeonameId)
            .Select(playsHere => new CountedLocation(
                playsHere.OrderBy(play => play.PlayedAtMs).ThenBy(play => play.EventId, Ordinal).First().Location,
                playsHere.Count()))];

    /// <summary>If L has more than the cap (256 by default) locations, keep those with the most plays, ties broken by smaller geonameId.</summary>
    private static IReadOnlyList<CountedLocation> Kept(IReadOnlyList<CountedLocation> locations, int maxLocations) =>
        locations.Count <= maxLocations
            ? locations
            : [.. locations.OrderByDescending(l => l.Plays).ThenBy(l => l.Location.GeonameId).Take(maxLocations)];

    /// <summary>
    /// Great-circle (haversine) distance on a sphere of radius R, in double precision:
    /// h = sin²(Δφ/2) + cos φa · cos φb · sin²(Δλ/2), d = 2R · asin(min(1, √h)).
    /// </summary>
    public static double DistanceKm(Location a, Location b)
    {
        double phiA = Angles.Radians(a.Lat), phiB = Angles.Radians(b.Lat);
        double lambdaA = Angles.Radians(a.Lon), lambdaB = Angles.Radians(b.Lon);
        double sinHalfDeltaPhi = Math.Sin((phiB - phiA) / 2);
        double sinHalfDeltaLambda = Math.Sin((lambdaB - lambdaA) / 2);
        double h = (sinHalfDeltaPhi * sinHalfDeltaPhi) + (Math.Cos(phiA) * Math.Cos(phiB) * (sinHalfDeltaLambda * sinHalfDeltaLambda));
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>
    /// Among pairs of distinct kept locations at least minDistanceKm apart (100 by default), the farthest pair; ties
    /// by smallest (a.geonameId, b.geonameId). The pair is ordered so that a.geonameId &lt; b.geonameId.
    /// </summary>
    private static (Location A, Location B, double DistanceKm)? FarthestPair(IReadOnlyList<CountedLocation> kept, double minDistanceKm) =>
        (from a in kept
         from b in kept
         where a.Location.GeonameId < b.Location.GeonameId
         let distanceKm = DistanceKm(a.Location, b.Location)
         where distanceKm >= minDistanceKm
         orderby distanceKm descending, a.Location.GeonameId, b.Location.GeonameId
         select ((Location, Location, double)?)(a.Location, b.Location, distanceKm))
        .FirstOrDefault();

    private sealed record CountedLocation(Location Location, int Plays);
}
