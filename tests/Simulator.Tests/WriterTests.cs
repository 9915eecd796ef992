namespace ListeningTogether.Simulator.Tests;

[Collection(RealWorldCollection.Name)]
public sealed class WriterTests(RealWorldFixture world)
{
    [Fact]
    public async Task GivenManyPlays_WhenWrittenAllAtOnce_ThenTheBytesEqualThoseOfTheIncrementalWriter()
    {
        var batch = world.Simulator().Batch(30_000, RealWorldFixture.Start, TimeSpan.FromMinutes(5)); // several buffers
        using var stream = new MemoryStream();

        long count = await PlayJsonlWriter.WriteAllAsync(batch, stream);

        Assert.Equal(30_000, count);
        Assert.Equal(Jsonl.Encode(batch), stream.ToArray());
    }

    [Fact]
    public void GivenADisposedWriter_WhenWriting_ThenItThrows()
    {
        var play = world.Simulator().Batch(1, RealWorldFixture.Start, TimeSpan.FromMinutes(1)).Single();
        using var stream = new MemoryStream();
        var writer = new PlayJsonlWriter(stream);
        writer.Write(play);
        writer.Dispose();

        Assert.Equal(1, writer.Count);
        byte[] line = [.. PlayJson.ToUtf8(play), (byte)'\n'];
        Assert.Equal(line, stream.ToArray());
        Assert.Throws<ObjectDisposedException>(() => writer.Write(play));
    }
}
