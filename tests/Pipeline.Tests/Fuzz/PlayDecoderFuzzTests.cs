using System.Text;
using System.Text.Json;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Net;
using ListeningTogether.Tests.Shared.Fuzz;

namespace ListeningTogether.Pipeline.Tests.Fuzz;

/// <summary>
/// The JSONL play decoder on generated records and on byte mutations of them: it never throws (every bad record
/// is a reason), answers within the time limit, allocates little, and agrees with System.Text.Json on what is
/// not JSON.
/// </summary>
public sealed class PlayDecoderFuzzTests
{
    private static readonly byte[][] Corpus = PlayRecordGenerators.Corpus(FuzzSettings.Seed, 200);

    [Fact]
    public void GivenGeneratedAndMutatedRecords_WhenDecoded_ThenEachIsAReasonAndNeverAnException()
    {
        var decoder = new PlayDecoder();
        var campaign = new FuzzCampaign("play-decoder", ciCases: 3000) { MaxAllocatedBytes = 256 * 1024 };

        campaign.Run(
            random => random.Next(4) == 0 ? Corpus[random.Next(Corpus.Length)] : ByteMutator.Mutate(random, Corpus[random.Next(Corpus.Length)], Corpus),
            input => AssertDecodedConsistently(decoder, input),
            _ => false);
    }

    [Fact]
    public void GivenA50MegabyteRecord_WhenDecoded_ThenItIsMalformedWithoutCopyingIt()
    {
        byte[] huge = Encoding.UTF8.GetBytes("{\"eventId\":\"" + new string('x', 50 << 20) + "\"}");
        var decoder = new PlayDecoder();

        long before = GC.GetAllocatedBytesForCurrentThread();
        IneligibleReason reason = decoder.Decode(huge, out _);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(IneligibleReason.Malformed, reason);
        Assert.True(allocated < 64 * 1024, $"allocated {allocated:N0} bytes");
    }

    private static void AssertDecodedConsistently(PlayDecoder decoder, byte[] input)
    {
        IneligibleReason reason = decoder.Decode(input, out PlayFields fields);
        if (!IsJson(input))
        {
            Assert.Equal(IneligibleReason.Malformed, reason);
        }

        if (reason == IneligibleReason.None)
        {
            Assert.True(PlayedAtParser.IsInRange(fields.PlayedAtMs), $"playedAt {fields.PlayedAtMs} out of range");
            Assert.False(fields.EventId.IsEmpty || fields.TrackId.IsEmpty || fields.Ip.IsEmpty, "an eligible record lacks an id or its ip");
            _ = StrictIpParser.TryParse(fields.Ip, out _); // any bytes: true or false, never a throw
        }
    }

    private static bool IsJson(byte[] input)
    {
        try
        {
            using var document = JsonDocument.Parse(input, new JsonDocumentOptions { MaxDepth = 64 });
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
