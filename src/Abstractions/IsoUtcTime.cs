namespace ListeningTogether.Abstractions;

/// <summary>Epoch milliseconds as UTF-8 <c>YYYY-MM-DDTHH:MM:SS.mmmZ</c>, in integers only.</summary>
public static class IsoUtcTime
{
    public const int Length = 24;

    /// <summary>The earliest time of four-digit years, 0000-01-01T00:00:00.000Z.</summary>
    public const long MinUnixMs = -62_167_219_200_000;

    /// <summary>The last time of four-digit years, 9999-12-31T23:59:59.999Z.</summary>
    public const long MaxUnixMs = 253_402_300_799_999;

    private const long MsPerDay = 86_400_000;

    /// <summary>Writes <see cref="Length"/> bytes; <paramref name="unixMs"/> must be within <see cref="MinUnixMs"/> and <see cref="MaxUnixMs"/> (callers check).</summary>
    public static void Write(Span<byte> destination, long unixMs)
    {
        long days = Math.DivRem(unixMs, MsPerDay, out long msOfDay);
        if (msOfDay < 0)
        {
            days--;
            msOfDay += MsPerDay;
        }

        (int year, int month, int day) = CivilDate.FromDays(days);
        int ms = (int)msOfDay;
        Span<byte> d = destination[..Length];
        Digits(d[..4], year);
        d[4] = (byte)'-';
        Digits(d.Slice(5, 2), month);
        d[7] = (byte)'-';
        Digits(d.Slice(8, 2), day);
        d[10] = (byte)'T';
        Digits(d.Slice(11, 2), ms / 3_600_000);
        d[13] = (byte)':';
        Digits(d.Slice(14, 2), ms / 60_000 % 60);
        d[16] = (byte)':';
        Digits(d.Slice(17, 2), ms / 1000 % 60);
        d[19] = (byte)'.';
        Digits(d.Slice(20, 3), ms % 1000);
        d[23] = (byte)'Z';
    }

    /// <summary>The value's last <c>digits.Length</c> decimal digits, zero-padded.</summary>
    private static void Digits(Span<byte> digits, int value)
    {
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            digits[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
