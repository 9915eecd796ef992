using ListeningTogether.Abstractions;

namespace ListeningTogether.Host.Streaming;

/// <summary>Where the co-plays chosen for viewers go: the console with <c>run</c>, the live site's hub with <c>serve</c>.</summary>
internal interface ICoPlayViewerSink
{
    ValueTask ShowAsync(IReadOnlyList<CoPlay> selected, CancellationToken cancellationToken);
}
