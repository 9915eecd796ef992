namespace ListeningTogether.Simulator;

/// <summary>Lower-case base-36 digits of non-negative numbers, for user ids.</summary>
internal static class Base36
{
    public const int MaxLength = 13;
    private static ReadOnlySpan<byte> Digits => "0123456789abcdefghijklmnopqrstuvwxyz"u8;

    public static int Format(long value, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        Span<byte> reversed = stackalloc byte[MaxLength];
        int n = 0;
        do
        {
            reversed[n++] = Digits[(int)(value % 36)];
            value /= 36;
        }
        while (value > 0);

        for (int i = 0; i < n; i++)
        {
            destination[i] = reversed[n - 1 - i];
        }

        return n;
    }

    public static ReadOnlySpan<char> Format(long value, Span<char> destination)
    {
        Span<byte> bytes = stackalloc byte[MaxLength];
        int n = Format(value, bytes);
        for (int i = 0; i < n; i++)
        {
            destination[i] = (char)bytes[i];
        }

        return destination[..n];
    }
}
