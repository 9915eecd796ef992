using ListeningTogether.Abstractions;
using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Tests.Fixtures;

namespace ListeningTogether.Host.Tests.Streaming;

/// <summary>The console viewer of <c>run</c>: one readable line per co-play chosen for viewers.</summary>
public sealed class ConsoleCoPlayViewerTests : IDisposable
{
    private static readonly Location Unnamed = new(2655045, null, null, 51.75, -1.25);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task GivenTwoCoPlaysOfKnownAndUnknownTracks_WhenShown_ThenEachIsOneLineWithTitleOrIdPlacesDistanceAndCounts()
    {
        var catalog = new TrackTitles();
        catalog.AddRange([new Track("spotify:track:known", "Blue Garden", "Kofi Jensen")]);
        using var output = new StringWriter();
        var viewer = new ConsoleCoPlayViewer(catalog, output);

        await viewer.ShowAsync(
            [
                new CoPlay(1_795_701_802_000, "spotify:track:known", 12, 9, Plays.London, Plays.Linkoping, Plays.LondonLinkopingKm),
                new CoPlay(1_795_701_802_000, "spotify:track:unknown", 2, 2, Unnamed, Plays.Linkoping, 15_466.5),
            ],
            CancellationToken.None);

        Assert.Equal(
            "14:03:22  \"Blue Garden\" by Kofi Jensen  London, GB <-> Linköping, SE  1,258 km  (12 plays, 9 places)" + Environment.NewLine
            + "14:03:22  spotify:track:unknown  ?, ? <-> Linköping, SE  15,466 km  (2 plays, 2 places)" + Environment.NewLine,
            output.ToString());
    }

    [Fact]
    public async Task GivenNoCoPlays_WhenShown_ThenNothingIsPrinted()
    {
        using var output = new StringWriter();

        await new ConsoleCoPlayViewer(new TrackTitles(), output).ShowAsync([], CancellationToken.None);

        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void GivenACatalogJsonlFile_WhenLoaded_ThenItsTracksAreDescribedByTitleAndArtist()
    {
        string path = Path.Combine(_temp.Path, "catalog.jsonl");
        File.WriteAllText(path,
            "{\"trackId\":\"spotify:track:a\",\"title\":\"Fading Ocean\",\"artist\":\"Leo Silva\"}\n\n"
            + "{\"trackId\":\"spotify:track:b\",\"title\":\"Sky in Reykjavík\",\"artist\":\"Diego Tanaka\"}\n");
        var catalog = new TrackTitles();

        catalog.LoadJsonl(path);

        Assert.Equal(2, catalog.Count);
        Assert.Equal("\"Fading Ocean\" by Leo Silva", catalog.Describe("spotify:track:a"));
        Assert.Equal("\"Sky in Reykjavík\" by Diego Tanaka", catalog.Describe("spotify:track:b"));
        Assert.Equal("spotify:track:c", catalog.Describe("spotify:track:c"));
    }
}
