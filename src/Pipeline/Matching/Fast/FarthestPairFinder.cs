using System.Numerics;

namespace ListeningTogether.Pipeline.Matching.Fast;

/// <summary>
/// The farthest pair of a group's kept locations (given in GeoNames id order), ties by smallest (a, b) ids. Pairs
/// are first ranked by the dot product of unit vectors (the haversine is monotonic in it), several at once with
/// SIMD, then every pair within a rounding margin of the best is measured with the exact haversine, so the result
/// is the exact rule's. Keeps its buffers; one per matcher.
/// </summary>
internal sealed class FarthestPairFinder
{
    // Rounding in the dot product and the haversine is ~1e-15; this margin only adds exact checks.
    private const double Margin = 1e-9;

    private double[] _x = new double[64];
    private double[] _y = new double[64];
    private double[] _z = new double[64];
    private double[] _rowMin = new double[64];

    public (int A, int B, double DistanceKm)? Find(ReadOnlySpan<KeptLocation> locations)
    {
        int n = locations.Length;
        Reserve(n);
        for (int i = 0; i < n; i++)
        {
            GeoPoint p = locations[i].Point;
            _x[i] = p.X;
            _y[i] = p.Y;
            _z[i] = p.Z;
        }

        double minDot = double.PositiveInfinity;
        for (int a = 0; a + 1 < n; a++)
        {
            double rowMin = RowMin(a, n);
            _rowMin[a] = rowMin;
            minDot = Math.Min(minDot, rowMin);
        }

        double limit = minDot + Margin;
        int bestA = -1, bestB = -1;
        double best = double.NegativeInfinity;
        for (int a = 0; a + 1 < n; a++)
        {
            if (_rowMin[a] > limit)
            {
                continue;
            }

            GeoPoint pa = locations[a].Point;
            for (int b = a + 1; b < n; b++)
            {
                GeoPoint pb = locations[b].Point;
                if (pa.Dot(pb) <= limit)
                {
                    double d = pa.DistanceKm(pb);
                    if (d > best)
                    {
                        best = d;
                        bestA = a;
                        bestB = b;
                    }
                }
            }
        }

        return bestA < 0 ? null : (bestA, bestB, best);
    }

    /// <summary>The smallest dot product of location <paramref name="a"/> with any later one.</summary>
    private double RowMin(int a, int n)
    {
        double xa = _x[a], ya = _y[a], za = _z[a];
        double min = double.PositiveInfinity;
        int b = a + 1;
        int width = Vector<double>.Count;
        if (Vector.IsHardwareAccelerated && n - b >= width)
        {
            var vx = new Vector<double>(xa);
            var vy = new Vector<double>(ya);
            var vz = new Vector<double>(za);
            var vmin = new Vector<double>(double.PositiveInfinity);
            for (; b + width <= n; b += width)
            {
                Vector<double> dot = (vx * new Vector<double>(_x, b)) + (vy * new Vector<double>(_y, b)) + (vz * new Vector<double>(_z, b));
                vmin = Vector.Min(vmin, dot);
            }

            for (int lane = 0; lane < width; lane++)
            {
                min = Math.Min(min, vmin[lane]);
            }
        }

        for (; b < n; b++)
        {
            min = Math.Min(min, (xa * _x[b]) + (ya * _y[b]) + (za * _z[b]));
        }

        return min;
    }

    private void Reserve(int n)
    {
        if (_x.Length >= n)
        {
            return;
        }

        int length = Math.Max(n, _x.Length * 2);
        _x = new double[length];
        _y = new double[length];
        _z = new double[length];
        _rowMin = new double[length];
    }
}
