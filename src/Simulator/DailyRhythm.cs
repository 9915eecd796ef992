namespace ListeningTogether.Simulator;

/// <summary>
/// How much people listen at each local hour, relative to the evening peak: low from 3 to 6 am, rising
/// through the morning commute, highest in the evening. Local time is approximated from the longitude.
/// </summary>
internal static class DailyRhythm
{
    // Activity at the start of each local hour 0..23; linear in between.
    private static readonly double[] Hourly =
    [
        0.55, 0.38, 0.25, 0.16, 0.12, 0.12, 0.18, 0.38, 0.62, 0.70, 0.72, 0.75,
        0.80, 0.80, 0.76, 0.78, 0.86, 0.94, 1.00, 1.00, 0.98, 0.92, 0.82, 0.68,
    ];

    /// <summary>The approximate UTC offset in hours of a place, round(lon / 15), in [-12, 12].</summary>
    public static int UtcOffsetHours(double lon) => (int)Math.Clamp(Math.Round(lon / 15.0, MidpointRounding.AwayFromZero), -12, 12);

    /// <summary>Activity at a point in time for places at the given UTC offset.</summary>
    public static double Activity(long utcMs, int utcOffsetHours)
    {
        const double MsPerHour = 3_600_000.0;
        double localHour = ((utcMs / MsPerHour) + utcOffsetHours) % 24.0;
        if (localHour < 0)
        {
            localHour += 24.0;
        }

        int hour = Math.Min((int)localHour, 23);
        double fraction = localHour - hour;
        return (Hourly[hour] * (1 - fraction)) + (Hourly[(hour + 1) % 24] * fraction);
    }
}
