using ListeningTogether.Abstractions;

namespace ListeningTogether.Host.Streaming;

/// <summary>Where the co-plays chosen for viewers go (the console now, the live site later).</summary>
internal interface ICoPlayViewerSink
{
    ValueTask ShowAsync(IReadOnlyList<CoPlay> selected, CancellationToken cancellationToken);
}
