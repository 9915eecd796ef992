namespace ListeningTogether.Pipeline.Matching;

/// <summary>Great-circle distance on a sphere of radius 6371.0088 km, exactly as DESIGN.md writes it.</summary>
public static class Haversine
{
    public const double EarthRadiusKm = 6371.0088;

    public static double DistanceKm(double latA, double lonA, double latB, double lonB)
    {
        double phiA = Angles.Radians(latA);
        double phiB = Angles.Radians(latB);
        return DistanceKm(phiA, Angles.Radians(lonA), Math.Cos(phiA), phiB, Angles.Radians(lonB), Math.Cos(phiB));
    }

    /// <summary>The same distance from precomputed radians and cosines of the latitudes.</summary>
    public static double DistanceKm(double phiA, double lambdaA, double cosPhiA, double phiB, double lambdaB, double cosPhiB)
    {
        double sinHalfDeltaPhi = Math.Sin((phiB - phiA) / 2);
        double sinHalfDeltaLambda = Math.Sin((lambdaB - lambdaA) / 2);
        double h = (sinHalfDeltaPhi * sinHalfDeltaPhi) + (cosPhiA * cosPhiB * (sinHalfDeltaLambda * sinHalfDeltaLambda));
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1.0, Math.Sqrt(h)));
    }
}
