using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ListeningTogether.Pipeline.Matching.Fast;

/// <summary>
/// A fast 64-bit hash of a short byte string (ids), eight bytes a step. Only ever used to group or pre-sort equal
/// ids: callers compare the bytes whenever two hashes are equal, so a collision costs time, never correctness.
/// </summary>
internal static class ByteHash
{
    private const ulong Multiplier = 0x9E37_79B9_7F4A_7C15UL;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Of(ReadOnlySpan<byte> bytes)
    {
        ulong h = (ulong)bytes.Length * Multiplier;
        int i = 0;
        for (; i + 8 <= bytes.Length; i += 8)
        {
            h = BitOperations.RotateLeft((h ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes[i..])) * Multiplier, 29);
        }

        if (i < bytes.Length)
        {
            ulong tail = 0;
            for (int shift = 0; i < bytes.Length; i++, shift += 8)
            {
                tail |= (ulong)bytes[i] << shift;
            }

            h = BitOperations.RotateLeft((h ^ tail) * Multiplier, 29);
        }

        h ^= h >> 32;
        h *= Multiplier;
        return h ^ (h >> 29);
    }
}
