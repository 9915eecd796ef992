namespace ListeningTogether.Simulator.Tests;

[Collection(RealWorldCollection.Name)]
public sealed class PopularityTests(RealWorldFixture world)
{
    [Fact]
    public void Given100kPlays_WhenCountingPlaysPerTrack_ThenTheZipfHeadIsFarHeavierThanTheTail()
    {
        var plays = world.Simulator().Batch(100_000, RealWorldFixture.Start, TimeSpan.FromMinutes(60)).ToList();
        int size = world.Catalog.Tracks.Count;
        var perRank = new int[size];
        foreach (var play in plays)
        {
            perRank[play.TrackRank]++;
            Assert.Same(world.Catalog.Tracks[play.TrackRank], play.Track);
        }

        double headShare = perRank.Take(size / 100).Sum() / (double)plays.Count;
        double tailShare = perRank.Skip(size / 2).Sum() / (double)plays.Count;
        Assert.True(headShare > 0.4, $"the top 1% of tracks have {headShare:P1} of plays");
        Assert.True(tailShare < 0.1, $"the bottom half of tracks have {tailShare:P1} of plays");
        Assert.True(perRank[0] > 20 * perRank[100], $"rank 0 has {perRank[0]} plays, rank 100 {perRank[100]}");
        double expected = world.Catalog.Probability(0) * plays.Count;
        Assert.InRange(perRank[0], expected * 0.9, expected * 1.1);
    }

    [Fact]
    public void GivenACatalog_WhenSummingProbabilities_ThenTheyAddUpToOneAndFall()
    {
        var catalog = TrackCatalog.Generate(5_000, seed: 1);
        Assert.Equal(1.0, Enumerable.Range(0, 5_000).Sum(catalog.Probability), 9);
        Assert.All(Enumerable.Range(1, 4_999), rank => Assert.True(catalog.Probability(rank) < catalog.Probability(rank - 1)));
        Assert.InRange(catalog.Probability(0) / catalog.Probability(9), 10.0, 13.0); // 10^1.05 = 11.2
    }
}
