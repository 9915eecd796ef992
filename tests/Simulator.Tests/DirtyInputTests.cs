using System.Net;
using System.Text;
using System.Text.Json;
using ListeningTogether.Abstractions.Options;

namespace ListeningTogether.Simulator.Tests;

[Collection(RealWorldCollection.Name)]
public sealed class DirtyInputTests(RealWorldFixture world)
{
    private const int Plays = 100_000;

    private static readonly SimulatorOptions HighRates = new()
    {
        PrivateSessionRate = 0.04,
        AnonymizedIpRate = 0.03,
        PrivateAddressRate = 0.02,
        DuplicateRate = 0.05,
        MalformedRate = 0.01,
    };

    public static TheoryData<string> RateSettings => ["defaults", "high"];

    [Theory]
    [MemberData(nameof(RateSettings))]
    public void Given100kPlays_WhenCountingEachKind_ThenItsShareIsTheConfiguredRate(string settings)
    {
        var options = settings == "high" ? HighRates : new SimulatorOptions();
        var records = world.Simulator(options).Batch(Plays, RealWorldFixture.Start, TimeSpan.FromMinutes(60)).ToList();
        var originals = records.Where(r => !r.IsRedelivery).ToList();

        AssertRate(options.DuplicateRate, records.Count(r => r.IsRedelivery), records.Count, "redeliveries");
        AssertRate(options.MalformedRate, originals.Count(r => r.Kind == SimulatedPlayKind.Malformed), originals.Count, "malformed");
        AssertRate(options.PrivateSessionRate, originals.Count(r => r.Kind == SimulatedPlayKind.PrivateSession), originals.Count, "private sessions");
        AssertRate(options.AnonymizedIpRate, originals.Count(r => r.Kind == SimulatedPlayKind.AnonymizedIp), originals.Count, "anonymized IPs");
        AssertRate(options.PrivateAddressRate, originals.Count(r => r.Kind == SimulatedPlayKind.PrivateAddress), originals.Count, "private addresses");
    }

    [Fact]
    public void GivenEachKind_WhenEncoded_ThenTheJsonShowsExactlyThatKind()
    {
        var records = world.Simulator(HighRates).Batch(Plays, RealWorldFixture.Start, TimeSpan.FromMinutes(60)).ToList();
        string[] lines = Jsonl.Lines(Jsonl.Encode(records));
        Assert.Equal(records.Count, lines.Length);

        for (int i = 0; i < records.Count; i++)
        {
            var record = records[i];
            Assert.True(Jsonl.IsMalformed(lines[i]) == (record.Kind == SimulatedPlayKind.Malformed), $"{record.Kind} encoded as {lines[i]}");
            if (record.Kind == SimulatedPlayKind.Malformed)
            {
                continue;
            }

            using var json = JsonDocument.Parse(lines[i]);
            var root = json.RootElement;
            Assert.Equal(record.EventId.ToString(), root.GetProperty("eventId").GetString());
            Assert.Equal(record.Track.TrackId, root.GetProperty("trackId").GetString());
            Assert.StartsWith("u-", root.GetProperty("userId").GetString(), StringComparison.Ordinal);
            bool privateSession = root.TryGetProperty("privateSession", out var session) && session.ValueKind == JsonValueKind.True;
            Assert.Equal(record.Kind == SimulatedPlayKind.PrivateSession, privateSession);
            string? ip = root.GetProperty("ip").GetString();
            Assert.Equal(record.Kind == SimulatedPlayKind.AnonymizedIp, string.IsNullOrEmpty(ip));
            if (!string.IsNullOrEmpty(ip))
            {
                var address = IPAddress.Parse(ip);
                Assert.Equal(address.ToString(), ip);
                Assert.Equal(record.Kind != SimulatedPlayKind.PrivateAddress, PublicRanges.IsPublic(address, address.GetAddressBytes().Length * 8));
            }
        }

        var shapes = records.Where(r => r.Kind == SimulatedPlayKind.Malformed).Select(r => r.Malformed).ToHashSet();
        Assert.Equal([MalformedShape.Truncated, MalformedShape.NotAnObject, MalformedShape.WrongType], shapes.Order());
    }

    [Fact]
    public void GivenARedelivery_WhenEncoded_ThenItIsTheBytesOfAnEarlierRecord_SentALittleLater()
    {
        var records = world.Simulator(HighRates).Batch(20_000, RealWorldFixture.Start, TimeSpan.FromMinutes(10)).ToList();
        var firstSeen = new Dictionary<string, int>();
        for (int i = 0; i < records.Count; i++)
        {
            string line = Encoding.UTF8.GetString(PlayJson.ToUtf8(records[i]));
            if (records[i].IsRedelivery)
            {
                Assert.True(firstSeen.TryGetValue(line, out int original), "a redelivery repeats an earlier record");
                Assert.InRange(i - original, 1, 64);
            }
            else
            {
                firstSeen.TryAdd(line, i);
            }
        }
    }

    [Fact]
    public void GivenRatesAddingUpToMoreThanOne_WhenCreatingASimulator_ThenItNamesTheSettings()
    {
        var options = new SimulatorOptions { MalformedRate = 0.5, PrivateSessionRate = 0.6 };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => world.Simulator(options));
        Assert.StartsWith("Simulator:MalformedRate, PrivateSessionRate, AnonymizedIpRate and PrivateAddressRate add up to more than 1.", error.Message, StringComparison.Ordinal);
    }

    private static void AssertRate(double rate, int count, int total, string what)
    {
        double expected = rate * total;
        double tolerance = (5 * Math.Sqrt(expected * (1 - rate))) + 1;
        Assert.True(Math.Abs(count - expected) <= tolerance, $"{count} {what} in {total}, expected {expected:F0} ± {tolerance:F0}");
    }
}
