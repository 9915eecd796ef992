using ListeningTogether.Pipeline.Matching;

namespace ListeningTogether.Replay.Report;

/// <summary>
/// The shorter great-circle arc between two places as (longitude, latitude) polylines: on an equirectangular map a
/// great circle is a curve, and one that crosses the antimeridian leaves at one edge and comes back at the other,
/// so it is cut there into two polylines.
/// </summary>
internal static class GreatCircle
{
    public static List<List<(double Lon, double Lat)>> Arc(double lat1, double lon1, double lat2, double lon2, int segments = 48)
    {
        (double x1, double y1, double z1) = Vector(lat1, lon1);
        (double x2, double y2, double z2) = Vector(lat2, lon2);
        double angle = Math.Acos(Math.Clamp((x1 * x2) + (y1 * y2) + (z1 * z2), -1, 1));
        double sin = Math.Sin(angle);
        var points = new List<(double Lon, double Lat)>(segments + 1);
        for (int i = 0; i <= segments; i++)
        {
            double t = (double)i / segments;
            if (sin < 1e-9)
            {
                // The same or antipodal places: no unique great circle; a straight line on the map will do.
                points.Add((lon1 + ((lon2 - lon1) * t), lat1 + ((lat2 - lat1) * t)));
                continue;
            }

            double a = Math.Sin((1 - t) * angle) / sin;
            double b = Math.Sin(t * angle) / sin;
            double x = (a * x1) + (b * x2), y = (a * y1) + (b * y2), z = (a * z1) + (b * z2);
            points.Add((Degrees(Math.Atan2(y, x)), Degrees(Math.Atan2(z, Math.Sqrt((x * x) + (y * y))))));
        }

        return SplitAtAntimeridian(points);
    }

    /// <summary>The point halfway along the arc, where the report puts the pair's number.</summary>
    public static (double Lon, double Lat) Midpoint(double lat1, double lon1, double lat2, double lon2)
    {
        (double x1, double y1, double z1) = Vector(lat1, lon1);
        (double x2, double y2, double z2) = Vector(lat2, lon2);
        double x = x1 + x2, y = y1 + y2, z = z1 + z2;
        return (x * x) + (y * y) + (z * z) < 1e-12
            ? ((lon1 + lon2) / 2, (lat1 + lat2) / 2)
            : (Degrees(Math.Atan2(y, x)), Degrees(Math.Atan2(z, Math.Sqrt((x * x) + (y * y)))));
    }

    private static List<List<(double Lon, double Lat)>> SplitAtAntimeridian(List<(double Lon, double Lat)> points)
    {
        var parts = new List<List<(double Lon, double Lat)>> { new() { points[0] } };
        for (int i = 1; i < points.Count; i++)
        {
            (double lon0, double lat0) = points[i - 1];
            (double lon1, double lat1) = points[i];
            if (Math.Abs(lon1 - lon0) > 180)
            {
                // Going east over 180° (lon1 wraps to about -180) or west over -180°.
                double edge = lon0 > 0 ? 180 : -180;
                double unwrapped = lon1 + (lon0 > 0 ? 360 : -360);
                double lat = lat0 + ((lat1 - lat0) * (edge - lon0) / (unwrapped - lon0));
                parts[^1].Add((edge, lat));
                parts.Add([(-edge, lat)]);
            }

            parts[^1].Add(points[i]);
        }

        return parts;
    }

    private static (double X, double Y, double Z) Vector(double lat, double lon)
    {
        double phi = Angles.Radians(lat), lambda = Angles.Radians(lon);
        return (Math.Cos(phi) * Math.Cos(lambda), Math.Cos(phi) * Math.Sin(lambda), Math.Sin(phi));
    }

    private static double Degrees(double radians) => radians * 180 / Math.PI;
}
