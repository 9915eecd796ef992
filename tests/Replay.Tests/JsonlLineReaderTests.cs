using System.Text;
using ListeningTogether.Replay.Input;
using ListeningTogether.Replay.Tests.Fixtures;

namespace ListeningTogether.Replay.Tests;

/// <summary>JSONL lines: BOM, \n and \r\n ends, whitespace-only lines skipped, chunks that split a file at line ends.</summary>
public sealed class JsonlLineReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static List<(string Line, long Offset)> ReadAll(IEnumerable<FileChunk> chunks)
    {
        var lines = new List<(string, long)>();
        foreach (FileChunk chunk in chunks)
        {
            using var reader = new JsonlLineReader(chunk);
            while (reader.TryReadLine(out ReadOnlySpan<byte> line, out long offset))
            {
                lines.Add((Encoding.UTF8.GetString(line), offset));
            }
        }

        return lines;
    }

    private static List<(string Line, long Offset)> ReadAll(string path) => ReadAll(FileChunk.Split(0, path, 32L << 20));

    [Fact]
    public void GivenABomCrlfAndBlankLines_WhenRead_ThenTheLinesComeWithoutEndsAndWithTheirFileOffsets()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. "{\"a\":1}\r\n \t \r\n\n{\"b\":2}\n\r\n{\"c\":3}"u8];
        string path = _temp.Write("x.jsonl", bytes);

        Assert.Equal([("{\"a\":1}", 3L), ("{\"b\":2}", 18L), ("{\"c\":3}", 28L)], ReadAll(path));
    }

    [Fact]
    public void GivenABomLaterInTheFile_WhenRead_ThenItIsPartOfItsLine()
    {
        byte[] bytes = [.. "{}\n"u8, 0xEF, 0xBB, 0xBF, .. "{}\n"u8];
        string path = _temp.Write("x.jsonl", bytes);

        Assert.Equal([("{}", 0L), ("\uFEFF{}", 3L)], ReadAll(path));
    }

    [Fact]
    public void GivenAFileOfOnlyABomAndWhitespace_WhenRead_ThenThereAreNoLines()
    {
        string path = _temp.Write("x.jsonl", [0xEF, 0xBB, 0xBF, .. " \r\n\t\n\n  "u8]);

        Assert.Empty(ReadAll(path));
    }

    [Fact]
    public void GivenALineLongerThanTheReadBuffer_WhenRead_ThenItComesWhole()
    {
        string longLine = "{\"pad\":\"" + new string('x', 3 << 20) + "\"}"; // longer than the 1 MiB read buffer, within MaxLineBytes
        string path = _temp.Write("x.jsonl", "{}\n" + longLine + "\n{}");

        List<(string Line, long Offset)> lines = ReadAll(path);

        Assert.Equal([("{}", 0L), (longLine, 3L), ("{}", 4L + longLine.Length)], lines);
    }

    [Fact]
    public void GivenTheEdgeExampleSplitIntoSmallChunks_WhenEveryChunkIsRead_ThenTheLinesEqualThoseOfOneChunk()
    {
        string path = TestData.Example("plays-edge.jsonl");

        List<FileChunk> chunks = [.. FileChunk.Split(0, path, 4096)];

        Assert.True(chunks.Count > 100, $"{chunks.Count} chunks");
        Assert.Equal(0, chunks[0].Start);
        Assert.Equal(new FileInfo(path).Length, chunks[^1].End);
        Assert.All(chunks.Zip(chunks.Skip(1)), pair => Assert.Equal(pair.First.End, pair.Second.Start));
        Assert.Equal(ReadAll(path), ReadAll(chunks));
    }

    [Fact]
    public void GivenTheEdgeExample_WhenRead_ThenEveryNonBlankLineOfTheFileIsReturnedOnceWithoutItsLineEnd()
    {
        string path = TestData.Example("plays-edge.jsonl");
        string text = File.ReadAllText(path, new UTF8Encoding(false)).TrimStart('\uFEFF');
        string[] expected = [.. text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => !string.IsNullOrWhiteSpace(l))];

        Assert.Equal(expected, ReadAll(path).Select(l => l.Line));
        Assert.Equal(3027, expected.Length);
    }

    [Fact]
    public void GivenAFileWithoutAnyNewline_WhenSplit_ThenItIsOneChunk()
    {
        string path = _temp.Write("x.jsonl", new string('x', 10_000));

        Assert.Equal([new FileChunk(3, path, 0, 10_000)], FileChunk.Split(3, path, 100));
    }
}
