using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ListeningTogether.Simulator.Tests;

public sealed partial class CatalogTests
{
    [Fact]
    public void GivenACatalog_WhenWrittenAsJsonl_ThenEachLineIsOneTrackObject()
    {
        var catalog = TrackCatalog.Generate(20_000, seed: 1);
        using var stream = new MemoryStream();
        CatalogJsonl.Write(catalog.Tracks, stream);
        string text = Encoding.UTF8.GetString(stream.ToArray());
        string[] lines = text.TrimEnd('\n').Split('\n');

        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
        Assert.Equal(catalog.Tracks.Count, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            var root = json.RootElement;
            Assert.Equal(["trackId", "title", "artist"], root.EnumerateObject().Select(p => p.Name));
            Assert.Equal(catalog.Tracks[i].TrackId, root.GetProperty("trackId").GetString());
            Assert.Equal(catalog.Tracks[i].Title, root.GetProperty("title").GetString());
            Assert.Equal(catalog.Tracks[i].Artist, root.GetProperty("artist").GetString());
        }

        Assert.Contains(lines, l => l.Contains('ñ', StringComparison.Ordinal) || l.Contains('ö', StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("\\u", StringComparison.Ordinal));
    }

    [Fact]
    public void GivenACatalog_WhenGenerated_ThenIdsAreUniqueSpotifyIds_AndNamesAreVaried()
    {
        var catalog = TrackCatalog.Generate(20_000, seed: 5);
        Assert.All(catalog.Tracks, t => Assert.Matches(TrackId(), t.TrackId));
        Assert.Equal(20_000, catalog.Tracks.Select(t => t.TrackId).Distinct().Count());
        Assert.True(catalog.Tracks.Select(t => t.Title).Distinct().Count() > 5_000);
        Assert.True(catalog.Tracks.Select(t => t.Artist).Distinct().Count() > 1_000);
        Assert.All(catalog.Tracks, t => Assert.False(string.IsNullOrWhiteSpace(t.Title) || string.IsNullOrWhiteSpace(t.Artist)));
    }

    [GeneratedRegex("^spotify:track:[0-9A-Za-z]{22}$")]
    private static partial Regex TrackId();
}
