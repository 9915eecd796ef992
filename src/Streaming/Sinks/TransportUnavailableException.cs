namespace ListeningTogether.Streaming.Sinks;

/// <summary>
/// A publish that is not getting through: the transport's own account of why (<see cref="Abstractions.IPublisherStatus"/>),
/// naming its topic or hub. It may pass, so it is retried for <c>Sinks:MaxOutageSeconds</c>.
/// </summary>
public sealed class TransportUnavailableException(string problem) : Exception(problem);
