using BenchmarkDotNet.Attributes;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Matching.Fast;

namespace ListeningTogether.Bench;

/// <summary>The co-play rule for one (window, track) group of a given size, duplicates included.</summary>
[MemoryDiagnoser]
public class MatcherBenchmarks
{
    private readonly CoPlayMatcher _matcher = new(MatchingOptions.Default);
    private TrackWindowGroup _group = new(0, "spotify:track:bench"u8);

    [Params(2, 20, 300)]
    public int Plays { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _group = new TrackWindowGroup(0, "spotify:track:bench"u8);
        for (int i = 0; i < Plays; i++)
        {
            var location = new Location(1000 + random.Next(Plays), null, "XX", (random.NextDouble() * 180) - 90, (random.NextDouble() * 360) - 180);
            _group.Add(System.Text.Encoding.UTF8.GetBytes($"event-{random.Next(Plays * 9 / 10):D6}"), 1000 + i, new GeoPoint(location));
        }
    }

    [Benchmark]
    public double Match() => _matcher.Match(_group)?.DistanceKm ?? 0;
}
