using BenchmarkDotNet.Attributes;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Eligibility;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Matching;

namespace ListeningTogether.Bench;

/// <summary>
/// Decode -> validate -> filter -> geolocate on the real GeoLite2 City database, with simulated addresses drawn
/// from its own networks. The first pass over the messages warms the record and network caches.
/// </summary>
[MemoryDiagnoser]
public class ClassifyBenchmarks
{
    private const int Plays = 200_000;
    private byte[][] _messages = [];
    private CityDatabase? _cities;
    private PlayClassifier? _classifier;

    [GlobalSetup]
    public void Setup()
    {
        _messages = BenchData.Messages(Plays, TimeSpan.FromSeconds(10));
        _cities = CityDatabase.Open(BenchData.CityDb);
        _classifier = new PlayClassifier(_cities, null, 250);
    }

    [GlobalCleanup]
    public void Cleanup() => _cities?.Dispose();

    [Benchmark(OperationsPerInvoke = Plays)]
    public int Classify()
    {
        int eligible = 0;
        foreach (byte[] message in _messages)
        {
            eligible += _classifier!.Classify(message, out PlayFields _, out GeoPoint? _) == IneligibleReason.None ? 1 : 0;
        }

        return eligible;
    }
}
