using System.Globalization;
using ListeningTogether.Abstractions;
using ListeningTogether.Host.Configuration;

namespace ListeningTogether.Host.Web;

/// <summary>Turns co-plays into what viewers get: coordinates rounded to 0.1 degree, titles from the track titles.</summary>
internal sealed class CoPlayViews(TrackTitles titles)
{
    public CoPlayView From(CoPlay coPlay)
    {
        Track? track = titles.Find(coPlay.TrackId);
        return new CoPlayView(
            DateTimeOffset.FromUnixTimeMilliseconds(coPlay.WindowStartMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            coPlay.TrackId,
            track?.Title,
            track?.Artist,
            coPlay.Plays,
            coPlay.Locations,
            Place(coPlay.A),
            Place(coPlay.B),
            Math.Round(coPlay.DistanceKm, 1));
    }

    public TopTrackView Top(string trackId, int coPlays)
    {
        Track? track = titles.Find(trackId);
        return new TopTrackView(trackId, track?.Title, track?.Artist, coPlays);
    }

    private static PlaceView Place(Location location) =>
        new(location.City, location.Country, Math.Round(location.Lat, 1), Math.Round(location.Lon, 1));
}
