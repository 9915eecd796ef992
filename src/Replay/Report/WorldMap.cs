using System.Globalization;
using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Summary;

namespace ListeningTogether.Replay.Report;

/// <summary>
/// The strongest city pairs on an equirectangular world map, drawn as inline SVG: land, a 30° graticule, each
/// pair's great-circle arc (thicker for more co-plays, the strongest on top), its cities and its number from the
/// table beside the map.
/// </summary>
internal static class WorldMap
{
    private const double North = 90;
    private const double South = -70;
    private const double Units = LandOutline.UnitsPerDegree;

    public static void Write(TextWriter w, IReadOnlyList<CityPairTotal> pairs)
    {
        string top = Html.Coordinate((90 - North) * Units);
        string height = Html.Coordinate((North - South) * Units);
        string width = Html.Coordinate(360 * Units);
        w.Write($"<svg class=\"map\" viewBox=\"0 {top} {width} {height}\" role=\"img\" aria-labelledby=\"map-title map-desc\">");
        w.Write("<title id=\"map-title\">World map of the city pairs with the most co-plays</title>");
        w.Write("<desc id=\"map-desc\">");
        w.Write(pairs.Count == 0
            ? "No co-plays, so no city pairs."
            : Html.Encode($"Arcs join the {pairs.Count} city pairs with the most co-plays; thicker arcs have more. Numbers match the table of city pairs. The strongest: {Describe(pairs[0])}."));
        w.Write("</desc>");
        w.Write($"<rect class=\"sea\" x=\"0\" y=\"{top}\" width=\"{width}\" height=\"{height}\"/>");
        w.Write($"<path class=\"graticule\" d=\"{Graticule()}\"/>");
        w.Write($"<path class=\"land\" d=\"{LandOutline.PathData}\"/>");
        if (pairs.Count > 0)
        {
            WritePairs(w, pairs);
        }

        w.Write("</svg>");
    }

    private static void WritePairs(TextWriter w, IReadOnlyList<CityPairTotal> pairs)
    {
        long most = pairs.Max(p => p.CoPlays);

        // Weakest first, so the strongest arcs are drawn on top.
        for (int i = pairs.Count - 1; i >= 0; i--)
        {
            CityPairTotal pair = pairs[i];
            double strokeWidth = 1.5 + (4.0 * pair.CoPlays / most);
            var d = new StringBuilder();
            foreach (List<(double Lon, double Lat)> part in GreatCircle.Arc(pair.A.Lat, pair.A.Lon, pair.B.Lat, pair.B.Lon))
            {
                for (int p = 0; p < part.Count; p++)
                {
                    d.Append(p == 0 ? 'M' : 'L').Append(X(part[p].Lon)).Append(' ').Append(Y(part[p].Lat));
                }
            }

            w.Write($"<path class=\"arc\" d=\"{d}\" stroke-width=\"{Html.Coordinate(strokeWidth)}\"><title>{Html.Encode($"{i + 1}. {Describe(pair)}")}</title></path>");
        }

        foreach (Location place in pairs.SelectMany(p => new[] { p.A, p.B }).DistinctBy(p => p.GeonameId))
        {
            w.Write($"<circle class=\"city\" cx=\"{X(place.Lon)}\" cy=\"{Y(place.Lat)}\" r=\"7\"><title>{Html.Place(place)}</title></circle>");
        }

        for (int i = pairs.Count - 1; i >= 0; i--)
        {
            (double lon, double lat) = GreatCircle.Midpoint(pairs[i].A.Lat, pairs[i].A.Lon, pairs[i].B.Lat, pairs[i].B.Lon);
            string number = (i + 1).ToString(CultureInfo.InvariantCulture);
            w.Write($"<g class=\"badge\"><circle cx=\"{X(lon)}\" cy=\"{Y(lat)}\" r=\"15\"/><text x=\"{X(lon)}\" y=\"{Y(lat)}\" text-anchor=\"middle\" dominant-baseline=\"central\">{number}</text></g>");
        }
    }

    private static string Describe(CityPairTotal pair) =>
        $"{Place(pair.A)} and {Place(pair.B)}, {pair.CoPlays.ToString("N0", CultureInfo.InvariantCulture)} co-plays";

    private static string Place(Location place) =>
        (place.City ?? $"GeoNames {place.GeonameId.ToString(CultureInfo.InvariantCulture)}") + (place.Country is null ? "" : $" ({place.Country})");

    private static string Graticule()
    {
        var d = new StringBuilder();
        for (int lon = -150; lon <= 150; lon += 30)
        {
            d.Append('M').Append(X(lon)).Append(' ').Append(Y(North)).Append('V').Append(Y(South));
        }

        for (int lat = -60; lat <= 60; lat += 30)
        {
            d.Append('M').Append(X(-180)).Append(' ').Append(Y(lat)).Append('H').Append(X(180));
        }

        return d.ToString();
    }

    private static string X(double lon) => Html.Coordinate((lon + 180) * Units);

    private static string Y(double lat) => Html.Coordinate((90 - lat) * Units);
}
