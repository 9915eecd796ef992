using System.Text;
using ListeningTogether.Pipeline.Matching.Fast;

namespace ListeningTogether.Pipeline.Tests.Matching.Fast;

public class ByteHashTests
{
    [Fact]
    public void GivenEqualBytesInDifferentArrays_WhenHashed_ThenTheHashesAreEqual()
    {
        byte[] a = Encoding.UTF8.GetBytes("7d57638f-f20e-4c43-8faf-e03d04fe007b");
        byte[] b = [.. "xx"u8, .. a];

        Assert.Equal(ByteHash.Of(a), ByteHash.Of(b.AsSpan(2)));
    }

    [Fact]
    public void GivenIdsDifferingInOneByteOrInLength_WhenHashed_ThenTheHashesDiffer()
    {
        // Every one-byte change of every position and every prefix: ids that differ rarely collide.
        byte[] id = Encoding.UTF8.GetBytes("spotify:track:wKFdhcqs4a2DyjWnRf8B7I");
        var hashes = new HashSet<ulong> { ByteHash.Of(id) };
        for (int i = 0; i < id.Length; i++)
        {
            byte[] changed = [.. id];
            changed[i] ^= 1;
            Assert.True(hashes.Add(ByteHash.Of(changed)));
            Assert.True(hashes.Add(ByteHash.Of(id.AsSpan(0, i))));
        }
    }
}
