using ParquetSharp;

namespace ListeningTogether.Replay.Archive;

/// <summary>How a Parquet timestamp column counts time.</summary>
internal enum TimestampUnit
{
    None,
    Millis,
    Micros,
    Nanos,

    /// <summary>Legacy Impala INT96: nanoseconds of the day and a Julian day number.</summary>
    Int96,
}

/// <summary>
/// Parquet timestamps as 100 ns ticks since the Unix epoch, floored: every encoding (INT64 millis, micros or nanos,
/// UTC-adjusted or not, INT96) is read as UTC. A value too far from 1970 to count in ticks becomes
/// <see cref="ParquetPlayColumns.FarPlayedAt"/> (out of the valid range in any case).
/// </summary>
internal static class TimestampTicks
{
    private const long JulianDayOfUnixEpoch = 2_440_588;

    public static long FromInt64(long value, TimestampUnit unit) => unit switch
    {
        TimestampUnit.Millis => Scale(value, TimeSpan.TicksPerMillisecond),
        TimestampUnit.Micros => Scale(value, TimeSpan.TicksPerMillisecond / 1000),
        TimestampUnit.Nanos => FloorDiv(value, 100),
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Not an INT64 timestamp unit."),
    };

    public static long FromInt96(Int96 value)
    {
        long nanosOfDay = (long)((uint)value.A | ((ulong)(uint)value.B << 32));
        long days = value.C - JulianDayOfUnixEpoch;
        long dayTicks = Scale(days, TimeSpan.TicksPerDay);
        long ticks = dayTicks + FloorDiv(nanosOfDay, 100);
        return dayTicks == ParquetPlayColumns.FarPlayedAt || ticks < dayTicks ? ParquetPlayColumns.FarPlayedAt : ticks;
    }

    /// <summary>Epoch milliseconds of ticks, floored.</summary>
    public static long ToEpochMillis(long ticks) => FloorDiv(ticks, TimeSpan.TicksPerMillisecond);

    /// <summary>The UTC time of ticks, or null when a <see cref="DateTime"/> cannot hold it.</summary>
    public static DateTime? ToDateTime(long ticks)
    {
        long unixEpoch = DateTime.UnixEpoch.Ticks;
        return ticks >= -unixEpoch && ticks <= DateTime.MaxValue.Ticks - unixEpoch
            ? new DateTime(unixEpoch + ticks, DateTimeKind.Utc)
            : null;
    }

    private static long Scale(long value, long factor) =>
        value > long.MaxValue / factor || value < long.MinValue / factor ? ParquetPlayColumns.FarPlayedAt : value * factor;

    private static long FloorDiv(long value, long divisor) =>
        Math.DivRem(value, divisor, out long rem) - (rem < 0 ? 1 : 0);
}
