using System.Globalization;
using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Streaming;

namespace ListeningTogether.Host.Cli;

/// <summary>Prints the co-plays chosen for viewers, one readable line each.</summary>
internal sealed class ConsoleCoPlayViewer(TrackTitles titles, TextWriter output) : ICoPlayViewerSink
{
    public async ValueTask ShowAsync(IReadOnlyList<CoPlay> selected, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (CoPlay c in selected)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{DateTimeOffset.FromUnixTimeMilliseconds(c.WindowStartMs):HH:mm:ss}  {titles.Describe(c.TrackId)}  {Place(c.A)} <-> {Place(c.B)}  {c.DistanceKm:N0} km  ({c.Plays} plays, {c.Locations} places)")
                .AppendLine();
        }

        await output.WriteAsync(text, cancellationToken).ConfigureAwait(false);
    }

    private static string Place(Location l) => $"{l.City ?? "?"}, {l.Country ?? "?"}";
}
