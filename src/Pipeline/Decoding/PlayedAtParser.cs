using ListeningTogether.Abstractions;

namespace ListeningTogether.Pipeline.Decoding;

/// <summary>
/// Parses playedAt: RFC 3339 text <c>YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)</c> (T and Z in either case, 1-9
/// fraction digits, no leap second) converted to UTC and floored to the millisecond, or epoch milliseconds.
/// Either must fall in [2000-01-01, 2100-01-01).
/// </summary>
internal static class PlayedAtParser
{
    public const long MinMs = 946_684_800_000;   // 2000-01-01T00:00:00Z
    public const long MaxMsExclusive = 4_102_444_800_000; // 2100-01-01T00:00:00Z

    public static bool IsInRange(long ms) => ms >= MinMs && ms < MaxMsExclusive;

    /// <summary>Parses the text form; false when it does not parse or is out of range.</summary>
    public static bool TryParseText(ReadOnlySpan<byte> s, out long utcMs)
    {
        utcMs = 0;
        if (s.Length < 20
            || !TryDigits(s, 0, 4, out int year) || s[4] != '-'
            || !TryDigits(s, 5, 2, out int month) || s[7] != '-'
            || !TryDigits(s, 8, 2, out int day) || (s[10] | 0x20) != 't'
            || !TryDigits(s, 11, 2, out int hour) || s[13] != ':'
            || !TryDigits(s, 14, 2, out int minute) || s[16] != ':'
            || !TryDigits(s, 17, 2, out int second))
        {
            return false;
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        int i = 19;
        int millis = 0;
        if (s[i] == '.')
        {
            i++;
            int digits = 0;
            while (i < s.Length && (uint)(s[i] - '0') <= 9)
            {
                if (digits < 3)
                {
                    millis = (millis * 10) + (s[i] - '0');
                }

                digits++;
                i++;
            }

            if (digits is 0 or > 9)
            {
                return false;
            }

            for (int d = digits; d < 3; d++)
            {
                millis *= 10;
            }
        }

        int offsetMinutes;
        if (i == s.Length - 1 && (s[i] | 0x20) == 'z')
        {
            offsetMinutes = 0;
        }
        else if (i == s.Length - 6 && (s[i] == '+' || s[i] == '-')
            && TryDigits(s, i + 1, 2, out int offsetHours) && s[i + 3] == ':'
            && TryDigits(s, i + 4, 2, out int offsetMins) && offsetHours <= 23 && offsetMins <= 59)
        {
            offsetMinutes = ((offsetHours * 60) + offsetMins) * (s[i] == '-' ? -1 : 1);
        }
        else
        {
            return false;
        }

        long days = CivilDate.ToDays(year, month, day);
        utcMs = (((((days * 24) + hour) * 60) + minute - offsetMinutes) * 60 + second) * 1000 + millis;
        return IsInRange(utcMs);
    }

    /// <summary>Parses a JSON number token as epoch milliseconds: an integer, no fraction or exponent.</summary>
    public static bool TryParseEpochMillis(ReadOnlySpan<byte> number, out long utcMs)
    {
        utcMs = 0;
        bool negative = number.Length > 0 && number[0] == '-';
        ReadOnlySpan<byte> digits = negative ? number[1..] : number;
        if (digits.IsEmpty || digits.Length > 18)
        {
            return false;
        }

        long value = 0;
        foreach (byte b in digits)
        {
            if ((uint)(b - '0') > 9)
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        utcMs = negative ? -value : value;
        return IsInRange(utcMs);
    }

    private static bool TryDigits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length)
        {
            return false;
        }

        for (int i = start; i < start + count; i++)
        {
            int d = s[i] - '0';
            if ((uint)d > 9)
            {
                return false;
            }

            value = (value * 10) + d;
        }

        return true;
    }
}
