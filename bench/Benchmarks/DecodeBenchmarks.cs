using BenchmarkDotNet.Attributes;
using ListeningTogether.Pipeline.Decoding;

namespace ListeningTogether.Bench;

/// <summary>Decoding and validating play records (UTF-8 JSON) without allocating.</summary>
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    private const int Plays = 100_000;
    private readonly PlayDecoder _decoder = new();
    private byte[][] _messages = [];

    [GlobalSetup]
    public void Setup() => _messages = BenchData.Messages(Plays, TimeSpan.FromSeconds(10));

    [Benchmark(OperationsPerInvoke = Plays)]
    public long Decode()
    {
        long sum = 0;
        foreach (byte[] message in _messages)
        {
            _decoder.Decode(message, out PlayFields fields);
            sum += fields.PlayedAtMs;
        }

        return sum;
    }
}
