using ListeningTogether.Replay.Spill;

namespace ListeningTogether.Replay.Tests.Spill;

public sealed class SpillMemoryTests
{
    [Fact]
    public void GivenChunksWithinTheBudget_WhenTaken_ThenTheyComeBackInOrderAndTheBudgetIsFreedAsTheyAreReturned()
    {
        var memory = new SpillMemory(3 * SpillMemory.BufferBytes);
        byte[] first = memory.RentBuffer();
        first[0] = 1;
        byte[] second = [2, 3, 4];

        Assert.True(memory.TryKeep(7, first, 10));
        Assert.True(memory.TryKeep(7, second, 2));
        IReadOnlyList<ArraySegment<byte>> chunks = memory.Take(7);

        Assert.Equal([(first, 10), (second, 2)], chunks.Select(c => (c.Array, c.Count)));
        Assert.Equal(SpillMemory.BufferBytes + 3, memory.HeldBytes);
        Assert.Empty(memory.Take(7));
        foreach (ArraySegment<byte> chunk in chunks)
        {
            memory.Return(chunk);
        }

        Assert.Equal(0, memory.HeldBytes);
        Assert.Same(first, memory.RentBuffer());
    }

    [Fact]
    public void GivenTheBudgetSpent_WhenAnotherChunkIsOffered_ThenItIsRefusedAndNothingOfItIsHeld()
    {
        var memory = new SpillMemory(SpillMemory.BufferBytes + 10);
        Assert.True(memory.TryKeep(1, memory.RentBuffer(), 5));

        bool kept = memory.TryKeep(2, memory.RentBuffer(), 5);

        Assert.False(kept);
        Assert.Equal(SpillMemory.BufferBytes, memory.HeldBytes);
        Assert.Empty(memory.Take(2));
    }

    [Fact]
    public void GivenNoBudget_WhenAChunkIsOffered_ThenItIsRefused()
    {
        var memory = new SpillMemory(0);

        Assert.False(memory.TryKeep(1, [1, 2, 3], 3));
    }
}
