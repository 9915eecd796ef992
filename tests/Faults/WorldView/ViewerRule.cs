using System.Globalization;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Windowing;
using ListeningTogether.Replay.Output.Results;

namespace ListeningTogether.Faults.Tests.WorldView;

/// <summary>
/// DESIGN.md's viewer rule applied to <c>replay</c>'s co-plays, window by window in window order: what every viewer
/// must be shown. It is the production <see cref="ViewerSelection"/> given each complete window in result order
/// (track ids by UTF-8 bytes, <see cref="CoPlayOrder"/>), as the site gives it: a window over its share of the
/// second keeps the co-plays with the greatest distance, then plays, then the smaller track id, in that order; a
/// window within its share is shown whole, in result order.
/// </summary>
public static class ViewerRule
{
    public static IReadOnlyList<ShownCoPlay> Apply(string coPlaysJsonl, int maxPerSecond, int windowMs)
    {
        var selection = new ViewerSelection(maxPerSecond, windowMs);
        var shown = new List<ShownCoPlay>();
        foreach (IGrouping<long, CoPlay> window in Read(coPlaysJsonl).GroupBy(c => c.WindowStartMs).OrderBy(w => w.Key))
        {
            List<CoPlay> coPlays = [.. window.Order(CoPlayOrder.Instance)];
            shown.AddRange(selection.Select(window.Key, coPlays).Select(ShownCoPlay.Of));
        }

        return shown;
    }

    private static IEnumerable<CoPlay> Read(string path)
    {
        int number = 0;
        foreach (string line in File.ReadLines(path))
        {
            number++;
            if (!CoPlayJsonlReader.TryParse(System.Text.Encoding.UTF8.GetBytes(line), out CoPlay? coPlay, out string? error))
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path} line {number} is not a co-play: {error}"));
            }

            yield return coPlay;
        }
    }
}
