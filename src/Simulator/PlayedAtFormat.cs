namespace ListeningTogether.Simulator;

/// <summary>Formats epoch milliseconds as <c>YYYY-MM-DDTHH:MM:SS.mmmZ</c> in UTF-8 with integer arithmetic only.</summary>
internal static class PlayedAtFormat
{
    public const int Length = 24;
    private const long MsPerDay = 86_400_000;

    public static int Write(long epochMs, Span<byte> d)
    {
        long days = Math.DivRem(epochMs, MsPerDay, out long msOfDay);
        if (msOfDay < 0)
        {
            days--;
            msOfDay += MsPerDay;
        }

        var (year, month, day) = CivilFromDays(days);
        if (year is < 0 or > 9999)
        {
            throw new ArgumentOutOfRangeException(nameof(epochMs), epochMs, "The time is outside years 0-9999.");
        }

        Digits(d[..4], year);
        d[4] = (byte)'-';
        Digits(d.Slice(5, 2), month);
        d[7] = (byte)'-';
        Digits(d.Slice(8, 2), day);
        d[10] = (byte)'T';
        int ms = (int)msOfDay;
        Digits(d.Slice(11, 2), ms / 3_600_000);
        d[13] = (byte)':';
        Digits(d.Slice(14, 2), ms / 60_000 % 60);
        d[16] = (byte)':';
        Digits(d.Slice(17, 2), ms / 1000 % 60);
        d[19] = (byte)'.';
        Digits(d.Slice(20, 3), ms % 1000);
        d[23] = (byte)'Z';
        return Length;
    }

    /// <summary>Proleptic Gregorian date of a day number since 1970-01-01 (H. Hinnant's civil_from_days).</summary>
    private static (int Year, int Month, int Day) CivilFromDays(long days)
    {
        long z = days + 719_468;
        long era = (z >= 0 ? z : z - 146_096) / 146_097;
        long dayOfEra = z - (era * 146_097);
        long yearOfEra = (dayOfEra - (dayOfEra / 1460) + (dayOfEra / 36_524) - (dayOfEra / 146_096)) / 365;
        long dayOfYear = dayOfEra - ((365 * yearOfEra) + (yearOfEra / 4) - (yearOfEra / 100));
        long mp = ((5 * dayOfYear) + 2) / 153;
        int day = (int)(dayOfYear - (((153 * mp) + 2) / 5) + 1);
        int month = (int)(mp < 10 ? mp + 3 : mp - 9);
        int year = (int)((yearOfEra + (era * 400)) + (month <= 2 ? 1 : 0));
        return (year, month, day);
    }

    private static void Digits(Span<byte> destination, int value)
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
