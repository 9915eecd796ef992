using System.Buffers.Binary;

namespace ListeningTogether.Tests.Shared.Fuzz;

/// <summary>
/// Mutations of valid inputs, as AFL's havoc stage does them: bit flips, bytes set to random or boundary values,
/// insertions, deletions, duplicated runs, truncations, splices with another valid input and boundary integers
/// written over length fields. One to <see cref="MaxOperations"/> operations per mutant.
/// </summary>
internal static class ByteMutator
{
    public const int MaxOperations = 6;

    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x7F, 0x80, 0xFF, (byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)',', (byte)':', (byte)'-', (byte)'.', (byte)'e', (byte)'0', (byte)'9', 0xC0, 0xED, 0xF4];

    private static readonly int[] InterestingInts = [0, 1, -1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, int.MaxValue, int.MinValue, 0x7FFFFFFE];

    public static byte[] Mutate(Random random, ReadOnlySpan<byte> valid, IReadOnlyList<byte[]> corpus)
    {
        var bytes = new List<byte>(valid.Length + 64);
        bytes.AddRange(valid);
        int operations = random.Next(1, MaxOperations + 1);
        for (int i = 0; i < operations; i++)
        {
            MutateOnce(random, bytes, corpus);
        }

        return [.. bytes];
    }

    private static void MutateOnce(Random random, List<byte> bytes, IReadOnlyList<byte[]> corpus)
    {
        int at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
        switch (random.Next(bytes.Count == 0 ? 1 : 9))
        {
            case 0:
                bytes.InsertRange(at, RandomRun(random, random.Next(1, 9)));
                break;
            case 1:
                bytes[at] ^= (byte)(1 << random.Next(8));
                break;
            case 2:
                bytes[at] = (byte)random.Next(256);
                break;
            case 3:
                bytes[at] = InterestingBytes[random.Next(InterestingBytes.Length)];
                break;
            case 4:
                bytes.RemoveRange(at, random.Next(1, Math.Min(bytes.Count - at, 16) + 1));
                break;
            case 5:
                int length = random.Next(1, Math.Min(bytes.Count - at, 32) + 1);
                bytes.InsertRange(random.Next(bytes.Count + 1), bytes.GetRange(at, length));
                break;
            case 6:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 7:
                byte[] other = corpus[random.Next(corpus.Count)];
                int from = random.Next(other.Length + 1);
                bytes.RemoveRange(at, bytes.Count - at);
                bytes.AddRange(other.AsSpan(from).ToArray());
                break;
            default:
                Span<byte> value = stackalloc byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(value, InterestingInts[random.Next(InterestingInts.Length)]);
                int width = Math.Min(random.Next(2) == 0 ? 4 : 2, bytes.Count - at);
                for (int b = 0; b < width; b++)
                {
                    bytes[at + b] = value[b];
                }

                break;
        }
    }

    private static byte[] RandomRun(Random random, int length)
    {
        byte[] run = new byte[length];
        for (int i = 0; i < length; i++)
        {
            run[i] = random.Next(2) == 0 ? InterestingBytes[random.Next(InterestingBytes.Length)] : (byte)random.Next(256);
        }

        return run;
    }
}
