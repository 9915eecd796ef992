using ListeningTogether.Abstractions;

namespace ListeningTogether.Pipeline.Tests.Properties;

/// <summary>One eligible copy of a play, as the properties generate it.</summary>
public sealed record PlayCopy(string TrackId, string EventId, long PlayedAtMs, Location Place)
{
    public override string ToString() =>
        $"{TrackId}/{EventId}@{PlayedAtMs}:{Place.GeonameId}({Place.Lat.ToString(System.Globalization.CultureInfo.InvariantCulture)},{Place.Lon.ToString(System.Globalization.CultureInfo.InvariantCulture)})";
}

/// <summary>
/// DESIGN.md's co-play rule written straight from its text with LINQ, sharing no code with the pipeline: the
/// brute-force reference the matcher and the engines are compared against.
/// </summary>
public static class ReferenceCoPlayRule
{
    private const double EarthRadiusKm = 6371.0088;

    /// <summary>h = sin²(Δφ/2) + cos φa · cos φb · sin²(Δλ/2), d = 2R · asin(min(1, √h)), radians as degrees · π / 180.</summary>
    public static double DistanceKm(Location a, Location b)
    {
        double phiA = a.Lat * Math.PI / 180, phiB = b.Lat * Math.PI / 180;
        double lambdaA = a.Lon * Math.PI / 180, lambdaB = b.Lon * Math.PI / 180;
        double sinHalfDeltaPhi = Math.Sin((phiB - phiA) / 2);
        double sinHalfDeltaLambda = Math.Sin((lambdaB - lambdaA) / 2);
        double h = (sinHalfDeltaPhi * sinHalfDeltaPhi) + (Math.Cos(phiA) * Math.Cos(phiB) * (sinHalfDeltaLambda * sinHalfDeltaLambda));
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>The distinct plays of one (window, track): per event id, the copy with the smallest (geonameId, playedAt, lat, lon).</summary>
    public static List<PlayCopy> DistinctPlays(IEnumerable<PlayCopy> copies) =>
        [.. copies
            .GroupBy(c => c.EventId, StringComparer.Ordinal)
            .Select(copiesOfOneEvent => copiesOfOneEvent
                .OrderBy(c => c.Place.GeonameId)
                .ThenBy(c => c.PlayedAtMs)
                .ThenBy(c => c.Place.Lat)
                .ThenBy(c => c.Place.Lon)
                .First())];

    /// <summary>The co-play of one (window, track) group, or null.</summary>
    public static CoPlay? Match(long windowStartMs, string trackId, IEnumerable<PlayCopy> copies, double minDistanceKm, int maxLocations)
    {
        List<PlayCopy> plays = DistinctPlays(copies);

        // L: distinct locations by geoname id, each with its play count and the place of its earliest play (then smaller event id).
        var locations = plays
            .GroupBy(p => p.Place.GeonameId)
            .Select(playsHere => (
                Place: playsHere.OrderBy(p => p.PlayedAtMs).ThenBy(p => p.EventId, StringComparer.Ordinal).First().Place,
                Plays: playsHere.Count()))
            .ToList();

        var kept = locations.Count <= maxLocations
            ? locations
            : [.. locations.OrderByDescending(l => l.Plays).ThenBy(l => l.Place.GeonameId).Take(maxLocations)];

        var best = (
            from a in kept
            from b in kept
            where a.Place.GeonameId < b.Place.GeonameId
            let d = DistanceKm(a.Place, b.Place)
            where d >= minDistanceKm
            orderby d descending, a.Place.GeonameId, b.Place.GeonameId
            select new { A = a.Place, B = b.Place, DistanceKm = d }).FirstOrDefault();

        return best is null ? null : new CoPlay(windowStartMs, trackId, plays.Count, locations.Count, best.A, best.B, best.DistanceKm);
    }

    /// <summary>Every co-play of a set of plays, by (window, track), sorted by window then the track id's UTF-8 bytes.</summary>
    public static List<CoPlay> MatchAll(IEnumerable<PlayCopy> copies, int windowMs, double minDistanceKm, int maxLocations) =>
        [.. copies
            .GroupBy(c => (WindowStart: FloorToWindow(c.PlayedAtMs, windowMs), c.TrackId))
            .Select(g => Match(g.Key.WindowStart, g.Key.TrackId, g, minDistanceKm, maxLocations))
            .OfType<CoPlay>()
            .OrderBy(c => c.WindowStartMs)
            .ThenBy(c => System.Text.Encoding.UTF8.GetBytes(c.TrackId), Utf8BytesComparer.Instance)];

    public static long FloorToWindow(long playedAtMs, int windowMs) => playedAtMs - ((playedAtMs % windowMs) + windowMs) % windowMs;

    private sealed class Utf8BytesComparer : IComparer<byte[]>
    {
        public static Utf8BytesComparer Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
