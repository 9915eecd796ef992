using ListeningTogether.Pipeline.Geo;

namespace ListeningTogether.Pipeline.Tests.Geo;

/// <summary>The offset -> record id table every located play goes through: exact answers while it grows, also to a concurrent reader.</summary>
public class OffsetIndexTests
{
    [Fact]
    public void GivenManyOffsetsAddedThroughSeveralGrowths_WhenLookedUp_ThenEachHasItsIdAndOthersAreAbsent()
    {
        var index = new OffsetIndex();
        var random = new Random(7);
        int[] offsets = [.. Enumerable.Range(0, 200_000).Select(_ => random.Next(0, int.MaxValue)).Distinct()];
        for (int id = 0; id < offsets.Length; id++)
        {
            index.Add(offsets[id], id);
        }

        for (int id = 0; id < offsets.Length; id++)
        {
            Assert.True(index.TryGet(offsets[id], out int found));
            Assert.Equal(id, found);
        }

        var known = offsets.ToHashSet();
        foreach (int absent in Enumerable.Range(0, 10_000).Select(_ => random.Next(0, int.MaxValue)).Where(o => !known.Contains(o)))
        {
            Assert.False(index.TryGet(absent, out int none));
            Assert.Equal(-1, none);
        }
    }

    [Fact]
    public void GivenOffsetZeroAndRecordSizedSteps_WhenAdded_ThenAllAreFound()
    {
        var index = new OffsetIndex();
        for (int id = 0; id < 50_000; id++)
        {
            index.Add(id * 28, id);
        }

        Assert.All(Enumerable.Range(0, 50_000), id => Assert.True(index.TryGet(id * 28, out int found) && found == id));
    }

    [Fact]
    public void GivenNegativeValues_WhenAddedAndLookedUp_ThenTheyComeBackAsGiven()
    {
        var index = new OffsetIndex();

        index.Add(0, -3);
        index.Add(28, int.MinValue);
        index.Add(int.MaxValue - 1, -1);

        Assert.True(index.TryGet(0, out int first) && first == -3);
        Assert.True(index.TryGet(28, out int second) && second == int.MinValue);
        Assert.True(index.TryGet(int.MaxValue - 1, out int third) && third == -1);
        Assert.False(index.TryGet(56, out _));
    }

    [Fact]
    public async Task GivenAReaderWhileTheWriterAddsAndGrows_WhenItLooksUp_ThenItNeverGetsAWrongId()
    {
        var index = new OffsetIndex();
        const int Count = 300_000;
        int added = 0;
        Task reader = Task.Run(() =>
        {
            var random = new Random(3);
            while (Volatile.Read(ref added) < Count)
            {
                int probe = random.Next(0, Count);
                if (index.TryGet(probe * 3, out int id))
                {
                    Assert.Equal(probe, id);
                }
            }
        });

        for (int i = 0; i < Count; i++)
        {
            index.Add(i * 3, i);
            Volatile.Write(ref added, i + 1);
        }

        await reader;
        Assert.True(index.TryGet((Count - 1) * 3, out int last));
        Assert.Equal(Count - 1, last);
    }
}
