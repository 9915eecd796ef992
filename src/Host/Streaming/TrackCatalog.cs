using System.Text.Json;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Host.Streaming;

/// <summary>Track titles and artists by id, from <c>Catalog:Path</c> or the built-in simulator.</summary>
internal sealed class TrackCatalog
{
    private readonly Dictionary<string, Track> _tracks = new(StringComparer.Ordinal);

    public int Count => _tracks.Count;

    public void AddRange(IEnumerable<Track> tracks)
    {
        foreach (Track track in tracks)
        {
            _tracks[track.TrackId] = track;
        }
    }

    public void LoadJsonl(string path)
    {
        foreach (string line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            JsonElement e = doc.RootElement;
            if (e.TryGetProperty("trackId", out var id) && e.TryGetProperty("title", out var title) && e.TryGetProperty("artist", out var artist))
            {
                _tracks[id.GetString()!] = new Track(id.GetString()!, title.GetString() ?? "", artist.GetString() ?? "");
            }
        }
    }

    public Track? Find(string trackId) => _tracks.GetValueOrDefault(trackId);

    public string Describe(string trackId) => Find(trackId) is { } t ? $"\"{t.Title}\" by {t.Artist}" : trackId;
}
