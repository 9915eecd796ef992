using System.Text.Json;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Host.Configuration;

/// <summary>Track titles and artists by id, from <c>Catalog:Path</c> or the built-in simulator.</summary>
internal sealed class TrackTitles
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

    /// <exception cref="SettingsException">A line is not a track object; the message names Catalog:Path, the file and the line.</exception>
    public void LoadJsonl(string path)
    {
        int number = 0;
        foreach (string line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(line);
                JsonElement e = doc.RootElement;
                if (e.TryGetProperty("trackId", out var id) && e.TryGetProperty("title", out var title) && e.TryGetProperty("artist", out var artist))
                {
                    _tracks[id.GetString()!] = new Track(id.GetString()!, title.GetString() ?? "", artist.GetString() ?? "");
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                throw new SettingsException($"Catalog:Path '{path}': line {number} is not a {{trackId, title, artist}} object ({e.Message})");
            }
        }
    }

    public Track? Find(string trackId) => _tracks.GetValueOrDefault(trackId);

    public string Describe(string trackId) => Find(trackId) is { } t ? $"\"{t.Title}\" by {t.Artist}" : trackId;
}
