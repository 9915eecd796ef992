using ListeningTogether.Abstractions;

namespace ListeningTogether.Streaming;

/// <summary>Where the co-plays chosen for viewers go: the console with <c>run</c>, the live site's hub with <c>serve</c>.</summary>
public interface ICoPlayViewerSink
{
    ValueTask ShowAsync(IReadOnlyList<CoPlay> selected, CancellationToken cancellationToken);
}
