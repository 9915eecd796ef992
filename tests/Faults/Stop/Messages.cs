using System.Text;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Faults.Tests.Stop;

/// <summary>Publishing text messages to a topic of the emulator, as producers do.</summary>
public static class Messages
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    /// <summary>Publishes every line as one message and returns once the emulator holds them all.</summary>
    internal static async Task PublishAsync(PubSubConnection connection, string topic, IEnumerable<string> lines)
    {
        await using PubSubPublisher publisher = connection.CreateRawPublisher(topic);
        foreach (string line in lines)
        {
            await publisher.PublishAsync(Encoding.UTF8.GetBytes(line), CancellationToken.None);
        }

        await publisher.FlushAsync(CancellationToken.None);
    }

    /// <summary>As <see cref="PublishAsync"/>, a tenth of <paramref name="perSecond"/> every tenth of a second: a stream rather than a burst.</summary>
    internal static async Task StreamAsync(PubSubConnection connection, string topic, IEnumerable<string> lines, int perSecond)
    {
        await using PubSubPublisher publisher = connection.CreateRawPublisher(topic);
        using var ticks = new PeriodicTimer(Tick);
        foreach (string[] chunk in lines.Chunk(Math.Max(1, perSecond / 10)))
        {
            foreach (string line in chunk)
            {
                await publisher.PublishAsync(Encoding.UTF8.GetBytes(line), CancellationToken.None);
            }

            await publisher.FlushAsync(CancellationToken.None);
            await ticks.WaitForNextTickAsync();
        }
    }
}
