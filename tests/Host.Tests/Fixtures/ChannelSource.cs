using System.Threading.Channels;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Host.Tests.Fixtures;

/// <summary>A play source that yields what a test writes into a channel, until the channel is completed.</summary>
internal sealed class ChannelSource(ChannelReader<IReceivedMessage> messages) : IPlaySource
{
    public IAsyncEnumerable<IReceivedMessage> ReadAllAsync(CancellationToken cancellationToken) => messages.ReadAllAsync(cancellationToken);
}
