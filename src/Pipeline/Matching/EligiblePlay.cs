using ListeningTogether.Abstractions;

namespace ListeningTogether.Pipeline.Matching;

/// <summary>An eligible copy of a play in one (window, track) group, as <see cref="CoPlayRule"/> takes it: its event id, time and place.</summary>
public sealed record EligiblePlay(string EventId, long PlayedAtMs, Location Location);
