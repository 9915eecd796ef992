namespace ListeningTogether.Pipeline.Net;

/// <summary>
/// An IP address as a 128-bit value. IPv4 addresses are held as their IPv4-mapped IPv6 form (::ffff:a.b.c.d),
/// with <see cref="IsV4Text"/> telling whether the text was dotted-quad IPv4.
/// </summary>
public readonly record struct IpAddress128(UInt128 Value, bool IsV4Text)
{
    private static readonly UInt128 MappedPrefix = new(0, 0x0000_FFFF_0000_0000UL);
    private static readonly UInt128 MappedMask = new(ulong.MaxValue, 0xFFFF_FFFF_0000_0000UL);

    public static IpAddress128 FromV4(uint address) => new(MappedPrefix | address, true);

    /// <summary>Whether the address is IPv4 or IPv4-mapped IPv6 (judged as IPv4).</summary>
    public bool IsV4Mapped => (Value & MappedMask) == MappedPrefix;

    public uint V4 => (uint)(Value & uint.MaxValue);

    public override string ToString() => IsV4Mapped && IsV4Text
        ? $"{V4 >> 24}.{(V4 >> 16) & 0xFF}.{(V4 >> 8) & 0xFF}.{V4 & 0xFF}"
        : Value.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);
}
