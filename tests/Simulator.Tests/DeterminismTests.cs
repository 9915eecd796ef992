using ListeningTogether.Abstractions.Options;

namespace ListeningTogether.Simulator.Tests;

[Collection(RealWorldCollection.Name)]
public sealed class DeterminismTests(RealWorldFixture world)
{
    private byte[] Simulate(int seed, int plays = 20_000)
    {
        var options = new SimulatorOptions { Seed = seed };
        var simulator = new PlaySimulator(world.Cities, TrackCatalog.Generate(options.CatalogSize, seed), options);
        return Jsonl.Encode(simulator.Batch(plays, RealWorldFixture.Start, TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void GivenTheSameSeed_WhenSimulatingTwice_ThenTheBytesAreEqual()
    {
        Assert.Equal(Simulate(seed: 7), Simulate(seed: 7));
    }

    [Fact]
    public void GivenOneSimulator_WhenItsBatchIsEnumeratedTwice_ThenBothStreamsAreEqual()
    {
        var batch = world.Simulator().Batch(5_000, RealWorldFixture.Start, TimeSpan.FromMinutes(1));
        Assert.Equal(Jsonl.Encode(batch), Jsonl.Encode(batch));
    }

    [Fact]
    public void GivenDifferentSeeds_WhenSimulating_ThenTheRecordsDiffer()
    {
        string[] a = Jsonl.Lines(Simulate(seed: 7));
        string[] b = Jsonl.Lines(Simulate(seed: 8));
        Assert.Empty(a.Intersect(b));
    }

    [Fact]
    public void GivenTheSameSeed_WhenGeneratingCatalogs_ThenTheyAreEqual_AndAnotherSeedGivesOtherIds()
    {
        var a = TrackCatalog.Generate(1000, seed: 3);
        var b = TrackCatalog.Generate(1000, seed: 3);
        var c = TrackCatalog.Generate(1000, seed: 4);
        Assert.Equal(a.Tracks, b.Tracks);
        Assert.Empty(a.Tracks.Select(t => t.TrackId).Intersect(c.Tracks.Select(t => t.TrackId)));
    }
}
