using System.Text;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Matching.Fast;

namespace ListeningTogether.Pipeline.Tests.Fixtures;

/// <summary>The fast matcher's input for a group of plays written as <see cref="CoPlayRule"/> takes them.</summary>
internal static class FastGroups
{
    public static TrackWindowGroup Of(long windowStartMs, string trackId, IEnumerable<EligiblePlay> plays)
    {
        var group = new TrackWindowGroup(windowStartMs, Encoding.UTF8.GetBytes(trackId));
        foreach (EligiblePlay play in plays)
        {
            group.Add(Encoding.UTF8.GetBytes(play.EventId), play.PlayedAtMs, play.Location);
        }

        return group;
    }
}
