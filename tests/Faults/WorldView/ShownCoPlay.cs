using System.Globalization;
using ListeningTogether.Abstractions;
using ListeningTogether.Host.Web;

namespace ListeningTogether.Faults.Tests.WorldView;

/// <summary>A co-play as a viewer's sequence is compared: its window start as the site writes it, and its track.</summary>
public sealed record ShownCoPlay(string WindowStart, string TrackId)
{
    public static ShownCoPlay Of(CoPlayView view) => new(view.WindowStart, view.TrackId);

    public static ShownCoPlay Of(CoPlay coPlay) => new(
        DateTimeOffset.FromUnixTimeMilliseconds(coPlay.WindowStartMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        coPlay.TrackId);

    public override string ToString() => $"({WindowStart}, {TrackId})";
}
