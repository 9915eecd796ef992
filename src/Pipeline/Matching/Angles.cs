using System.Runtime.CompilerServices;

namespace ListeningTogether.Pipeline.Matching;

internal static class Angles
{
    /// <summary>
    /// Radians as (degrees * pi) / 180, the order SQL engines' radians() use, so distances agree to the last bit
    /// with those computed by a database.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Radians(double degrees) => degrees * Math.PI / 180;
}
