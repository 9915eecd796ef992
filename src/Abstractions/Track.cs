namespace ListeningTogether.Abstractions;

/// <summary>A catalog entry: what the site shows for a track id.</summary>
public sealed record Track(string TrackId, string Title, string Artist);
