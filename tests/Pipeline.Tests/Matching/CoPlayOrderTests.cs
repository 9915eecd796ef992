using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using static ListeningTogether.Pipeline.Tests.Fixtures.Places;

namespace ListeningTogether.Pipeline.Tests.Matching;

/// <summary>Result order: window start, then track id by its UTF-8 bytes (as DuckDB and Spark sort).</summary>
public class CoPlayOrderTests
{
    private static CoPlay At(long windowStartMs, string trackId) => new(windowStartMs, trackId, 2, 2, Osaka, Lima, 15880.568708446039);

    [Fact]
    public void GivenCoPlaysOfSeveralWindowsAndTracks_WhenSorted_ThenWindowComesFirstThenTrackBytes()
    {
        CoPlay[] coPlays = [At(2000, "a"), At(1000, "b"), At(1000, "B"), At(2000, "A"), At(1000, "ab"), At(1000, "a")];

        Array.Sort(coPlays, CoPlayOrder.Instance);

        Assert.Equal(["1000:B", "1000:a", "1000:ab", "1000:b", "2000:A", "2000:a"], coPlays.Select(c => $"{c.WindowStartMs}:{c.TrackId}"));
    }

    [Theory]
    [InlineData("\uFFFD", "😀")]           // U+FFFD (EF BF BD) before U+1F600 (F0 9F 98 80), though UTF-16 orders them the other way
    [InlineData("\uE000", "😀")]
    [InlineData("\uD7FF", "\uE000")]
    [InlineData("z", "é")]
    [InlineData("é", "日")]
    [InlineData("日", "😀")]
    [InlineData("a", "a\u0000")]
    [InlineData("spotify:track:1", "spotify:track:1😀")]
    public void GivenTwoTrackIds_WhenCompared_ThenTheyOrderAsTheirUtf8Bytes(string smaller, string larger)
    {
        Assert.True(CoPlayOrder.CompareUtf8(smaller, larger) < 0);
        Assert.True(CoPlayOrder.CompareUtf8(larger, smaller) > 0);
        Assert.True(CoPlayOrder.Instance.Compare(At(0, smaller), At(0, larger)) < 0);
        Assert.True(System.Text.Encoding.UTF8.GetBytes(smaller).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(larger)) < 0);
    }

    [Fact]
    public void GivenEqualKeys_WhenCompared_ThenTheyAreEqual()
    {
        Assert.Equal(0, CoPlayOrder.Instance.Compare(At(1000, "😀"), At(1000, "😀")));
        Assert.Equal(0, CoPlayOrder.Instance.Compare(null, null));
        Assert.True(CoPlayOrder.Instance.Compare(null, At(0, "a")) < 0);
    }
}
