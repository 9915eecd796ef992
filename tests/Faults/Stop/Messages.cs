using System.Text;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Faults.Tests.Stop;

/// <summary>Publishing text messages to a topic of the emulator, as producers do.</summary>
public static class Messages
{
    /// <summary>Publishes every line as one message and returns once the emulator holds them all.</summary>
    public static async Task PublishAsync(PubSubConnection connection, string topic, IEnumerable<string> lines)
    {
        await using PubSubPublisher publisher = connection.CreateRawPublisher(topic);
        foreach (string line in lines)
        {
            await publisher.PublishAsync(Encoding.UTF8.GetBytes(line), CancellationToken.None);
        }

        await publisher.FlushAsync(CancellationToken.None);
    }
}
