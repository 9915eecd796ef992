using FsCheck;
using FsCheck.Fluent;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using static ListeningTogether.Pipeline.Tests.Fixtures.Places;

namespace ListeningTogether.Pipeline.Tests.Properties;

/// <summary>A (window, track) group of copies and the matching options to judge it with.</summary>
public sealed record GroupScenario(IReadOnlyList<PlayCopy> Copies, MatchingOptions Options)
{
    public override string ToString() => $"{Options}: [{string.Join(", ", Copies)}]";
}

/// <summary>Plays over several windows and tracks, with the matching options.</summary>
public sealed record PlaysScenario(IReadOnlyList<PlayCopy> Plays, int WindowMs, MatchingOptions Options)
{
    public override string ToString() => $"{WindowMs} ms, {Options}: [{string.Join(", ", Plays)}]";
}

/// <summary>
/// FsCheck generators of plays that stress the co-play rule: few geoname ids (so event ids collide and copies
/// disagree, and one city comes at several coordinates), coordinates drawn mostly from a small pool (distance ties,
/// equal coordinates for distinct cities, antipodes), equal play times, redelivered duplicates, and event ids whose
/// ordinal order differs from their numeric order and whose UTF-8 order differs from their UTF-16 order.
/// </summary>
public static class PlayGenerators
{
    public const long Second = 1_795_701_802_000; // 2026-11-26T14:03:22.000Z

    private static readonly (double Lat, double Lon)[] CoordinatePool =
    [
        (Osaka.Lat, Osaka.Lon), (Lima.Lat, Lima.Lon), (London.Lat, London.Lon), (Reading.Lat, Reading.Lon),
        (Paris.Lat, Paris.Lon), (Tokyo.Lat, Tokyo.Lon), (Sydney.Lat, Sydney.Lon), (Auckland.Lat, Auckland.Lon),
        (Madrid.Lat, Madrid.Lon), (0, 0), (0, 180), (0, -180), (90, 0), (-90, 0), (45, 0), (-45, 180),
        (1e-7, -179.9999999), (-34.6937, -44.4978),
    ];

    // U+E000 sorts below an emoji in UTF-8 (code points) but above it in UTF-16 (the emoji's surrogates).
    private static readonly string[] EventIdForms = ["e", "e\uE000", "e😀", "é"];

    private static readonly string[] Tracks = ["spotify:track:a", "spotify:track:B", "spotify:track:é", "spotify:track:\uFFFD", "spotify:track:😀"];

    public static Gen<(double Lat, double Lon)> Coordinates { get; } = Gen.Frequency(
        (4, Gen.Elements(CoordinatePool)),
        (1, Gen.Choose(-90_000_000, 90_000_000).Zip(Gen.Choose(-180_000_000, 180_000_000), (lat, lon) => (lat / 1e6, lon / 1e6))));

    /// <summary>Event id number <paramref name="n"/>: "e10" sorts before "e2", "e\uE0000" before "e😀0".</summary>
    public static string EventId(int n) => $"{EventIdForms[n % EventIdForms.Length]}{n / EventIdForms.Length}";

    /// <summary>A time in a window, often on a few shared instants so that earliest plays tie.</summary>
    public static Gen<int> Offset(int windowMs) => Gen.Frequency(
        (1, Gen.Choose(0, windowMs - 1)),
        (1, Gen.Elements(0, windowMs / 2, windowMs - 1)));

    /// <summary>A place among <paramref name="maxGeonameId"/> cities; a city's coordinates vary by copy as they do by network.</summary>
    public static Gen<Location> Place(int maxGeonameId) =>
        from id in Gen.Choose(1, maxGeonameId)
        from at in Coordinates
        select new Location(id, $"City {id}", "XX", at.Lat, at.Lon);

    public static Gen<PlayCopy> Copy(string trackId, long windowStartMs, int windowMs, int maxGeonameId, int eventIds) =>
        from eventId in Gen.Choose(0, eventIds - 1)
        from offset in Offset(windowMs)
        from place in Place(maxGeonameId)
        select new PlayCopy(trackId, EventId(eventId), windowStartMs + offset, place);

    public static Gen<double> MinDistanceKm(IReadOnlyList<PlayCopy> copies) =>
        copies.Count == 0
            ? Gen.Constant(100.0)
            : Gen.Frequency(
                (3, Gen.Elements(0.0, 100.0, 1_000.0, 5_000.0, 12_000.0, 19_000.0)),
                (1, Gen.Choose(0, copies.Count - 1).Zip(Gen.Choose(0, copies.Count - 1), (i, j) =>
                    Haversine.DistanceKm(copies[i].Place.Lat, copies[i].Place.Lon, copies[j].Place.Lat, copies[j].Place.Lon))));

    /// <summary>
    /// Copies of one group in arrival order: redelivered duplicates, and copies of a play that disagree only in their
    /// coordinates (often only in the longitude), so that the (lat, lon) tie-breaks decide which stands. MaxLocations
    /// is often small so the cap bites.
    /// </summary>
    public static Gen<GroupScenario> Group { get; } =
        from maxGeonameId in Gen.Choose(1, 24)
        from eventIds in Gen.Choose(1, 40)
        from copies in Gen.ListOf(Copy("spotify:track:a", Second, 1000, maxGeonameId, eventIds))
        from redelivered in Gen.SubListOf(copies.ToArray())
        from disagreeing in Gen.SubListOf(copies.ToArray())
        from moved in Gen.ArrayOf(Coordinates, disagreeing.Count)
        from onlyLon in Gen.ArrayOf(Gen.Elements(true, false), disagreeing.Count)
        let variants = disagreeing.Select((c, i) => c with { Place = c.Place with { Lat = onlyLon[i] ? c.Place.Lat : moved[i].Lat, Lon = moved[i].Lon } })
        from arrival in Gen.Shuffle(copies.Concat(redelivered).Concat(variants).ToArray())
        from minDistanceKm in MinDistanceKm([.. copies])
        from maxLocations in Gen.Elements(2, 3, 4, 8, 256)
        select new GroupScenario([.. arrival], new MatchingOptions(minDistanceKm, maxLocations));

    /// <summary>More than 256 locations (1-3 plays each) under the default cap of 256.</summary>
    public static Gen<GroupScenario> CrowdedGroup { get; } =
        from count in Gen.Choose(257, 300)
        from ids in Gen.Shuffle(Enumerable.Range(1, 1000).ToArray())
        from plays in Gen.ArrayOf(Gen.Choose(1, 3), count)
        from places in Gen.ArrayOf(Coordinates, count)
        from minDistanceKm in Gen.Elements(0.0, 100.0, 5_000.0)
        let copies = Enumerable.Range(0, count)
            .SelectMany(i => Enumerable.Range(0, plays[i]).Select(k =>
                new PlayCopy("spotify:track:a", $"p{i}-{k}", Second + k, new Location(ids[i], $"City {ids[i]}", "XX", places[i].Lat, places[i].Lon))))
        from arrival in Gen.Shuffle(copies.ToArray())
        select new GroupScenario([.. arrival], new MatchingOptions(minDistanceKm, 256));

    /// <summary>
    /// One nearly antipodal pair shape repeated at many longitudes (within a quarter turn): every shape is equally
    /// long in exact arithmetic and longer than any other pair, so in double precision the distances differ only
    /// in their last bits, where the haversine near 180° magnifies them. A shortcut that ranks pairs by anything
    /// other than the exact haversine (or breaks its ties loosely) picks another pair than the rule.
    /// </summary>
    public static Gen<GroupScenario> NearTies { get; } =
        from lat in Gen.Choose(-60_000, 60_000)
        from latOffset in Gen.Choose(0, 2_000)
        from lonOffset in Gen.Choose(0, 2_000)
        from baseLon in Gen.Choose(-180_000, 90_000)
        from count in Gen.Choose(2, 20)
        from longitudes in Gen.ArrayOf(Gen.Choose(0, 90_000_000), count)
        from ids in Gen.Shuffle(Enumerable.Range(1, 2 * count).ToArray())
        let copies = Enumerable.Range(0, count).SelectMany(i =>
        {
            double lon = (baseLon / 1e3) + (longitudes[i] / 1e6);
            return new[]
            {
                new PlayCopy("spotify:track:a", $"a{i}", Second, new Location(ids[2 * i], $"A{i}", "XX", lat / 1e3, lon)),
                new PlayCopy("spotify:track:a", $"b{i}", Second, new Location(ids[(2 * i) + 1], $"B{i}", "XX", (-lat + latOffset) / 1e3, lon + 180 - (lonOffset / 1e3))),
            };
        })
        select new GroupScenario([.. copies], new MatchingOptions(0, 256));

    /// <summary>Plays of a few tracks over a few or many windows (so a streaming engine reuses what it pools).</summary>
    public static Gen<PlaysScenario> Plays { get; } =
        from windowMs in Gen.Elements(250, 1000, 1500)
        from windows in Gen.Elements(2, 6, 24)
        from maxGeonameId in Gen.Choose(1, 12)
        from eventIds in Gen.Choose(1, 40)
        from plays in Gen.ListOf(
            from track in Gen.Elements(Tracks)
            from eventId in Gen.Choose(0, eventIds - 1)
            from offset in Gen.Choose(0, (windows * windowMs) - 1)
            from place in Place(maxGeonameId)
            select new PlayCopy(track, EventId(eventId), Second + offset, place))
        from minDistanceKm in MinDistanceKm([.. plays])
        from maxLocations in Gen.Elements(2, 3, 256)
        select new PlaysScenario([.. plays], windowMs, new MatchingOptions(minDistanceKm, maxLocations));
}
