using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.ScaleOut;
using ListeningTogether.Tests.Shared.Fuzz;

namespace ListeningTogether.Pipeline.Tests.Fuzz;

/// <summary>
/// The match stage's decoder of repartition messages on mutations of messages ingest writes: anything but a
/// well-formed version-1 message is false (the caller dead-letters it as malformed), never an exception.
/// </summary>
public sealed class RepartitionMessageFuzzTests
{
    private static readonly byte[][] Corpus = Messages();

    [Fact]
    public void GivenMutatedMessages_WhenDecoded_ThenEachIsAcceptedOrRefusedAndNeverAnException()
    {
        var decoder = new RepartitionedPlayDecoder();
        var campaign = new FuzzCampaign("repartition-message", ciCases: 3000) { MaxAllocatedBytes = 256 * 1024 };

        campaign.Run(
            random => ByteMutator.Mutate(random, Corpus[random.Next(Corpus.Length)], Corpus),
            input =>
            {
                if (decoder.TryDecode(input, out PlayFields fields, out GeoPoint? point))
                {
                    Assert.NotNull(point);
                    Assert.True(PlayedAtParser.IsInRange(fields.PlayedAtMs));
                    Assert.True(double.IsFinite(point.Location.Lat) && double.IsFinite(point.Location.Lon));
                }
            },
            _ => false);
    }

    [Theory]
    [InlineData("{\"v\":1.5}")]
    [InlineData("{\"v\":1e10}")]
    [InlineData("{\"location\":{\"city\":7}}")]
    [InlineData("{\"location\":{\"country\":[]}}")]
    [InlineData("{\"location\":{\"lat\":\"51.5\"}}")]
    [InlineData("{\"location\":{\"lon\":1e999}}")]
    [InlineData("{\"location\":{\"city\":\"\\ud800\"}}")]
    public void GivenAFieldOfTheWrongTypeOrOutOfRange_WhenDecoded_ThenItIsRefused(string json)
    {
        var decoder = new RepartitionedPlayDecoder();

        Assert.False(decoder.TryDecode(Encoding.UTF8.GetBytes(json), out _, out _));
    }

    private static byte[][] Messages()
    {
        using var message = new RepartitionMessage();
        Location[] places =
        [
            new(2643743, "London", "GB", 51.5142, -0.0931),
            new(2694762, "Linköping", "SE", 58.4167, 15.6167),
            new(1, null, null, -90, 180),
            new(long.MaxValue, "\"Quoted\" \\ city", "X\u0001", 1e-300, -0.0),
        ];
        byte[] longId = Encoding.UTF8.GetBytes(new string('é', 128));
        return
        [
            .. places.Select((place, i) => message.Write("e1"u8, "spotify:track:4uLU6hMCjMI75M1A2tKUQC"u8, 1_795_701_802_431 + i, DateTimeOffset.UnixEpoch.AddYears(56), place).ToArray()),
            message.Write(longId, "t\"1\\"u8, PlayedAtParser.MinMs, DateTimeOffset.UnixEpoch.AddYears(30), places[0]).ToArray(),
        ];
    }
}
