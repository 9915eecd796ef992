using System.Text;

namespace ListeningTogether.PubSubBench;

/// <summary>The same ~200-byte play as the Node.js side (bench/pubsub-node/bench.mjs).</summary>
internal static class BenchPlays
{
    public static byte[] Play(int i)
    {
        string n = i.ToString("D12", System.Globalization.CultureInfo.InvariantCulture);
        return Encoding.UTF8.GetBytes(
            $"{{\"eventId\":\"00000000-0000-4000-8000-{n}\",\"trackId\":\"spotify:track:4uLU6hMCjMI75M1A{n[^6..]}\",\"userId\":\"u-{n[^8..]}\",\"ip\":\"81.2.69.142\",\"playedAt\":\"2026-11-26T14:03:22.431Z\",\"privateSession\":false}}");
    }
}
