using System.Text;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Replay.Input;

namespace ListeningTogether.Replay.Tests;

/// <summary>A line far longer than any record is cut, not held whole, and the lines after it still come.</summary>
public sealed class LongLineTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void GivenATwentyMegabyteLine_WhenRead_ThenItComesCutButStillTooLongAndTheNextLineFollowsWithItsOffset()
    {
        const int longLength = 20 << 20;
        var content = new StringBuilder(longLength + 32);
        content.Append('{').Append('x', longLength).Append("}\n{\"next\":1}\n");
        string path = _temp.Write("long.jsonl", Encoding.UTF8.GetBytes(content.ToString()));

        using var reader = new JsonlLineReader(FileChunk.Split(0, path, 64L << 20).Single());
        Assert.True(reader.TryReadLine(out ReadOnlySpan<byte> first, out long firstOffset));
        int firstLength = first.Length;
        Assert.True(reader.TryReadLine(out ReadOnlySpan<byte> second, out long secondOffset));

        Assert.Equal(0, firstOffset);
        Assert.InRange(firstLength, PlayDecoder.MaxRecordBytes + 1, 4 * JsonlLineReader.MaxLineBytes);
        Assert.Equal("{\"next\":1}", Encoding.UTF8.GetString(second));
        Assert.Equal(longLength + 3, secondOffset);
        Assert.False(reader.TryReadLine(out _, out _));
    }
}
