namespace ListeningTogether.Abstractions;

/// <summary>A play event as it is produced (by the simulator or a client) before it is encoded as JSON.</summary>
public sealed record PlayEvent(
    string EventId,
    string TrackId,
    string? UserId,
    string? Ip,
    DateTimeOffset PlayedAt,
    bool? PrivateSession);
