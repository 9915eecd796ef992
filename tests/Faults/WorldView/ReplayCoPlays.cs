using System.Globalization;
using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Results;

namespace ListeningTogether.Faults.Tests.WorldView;

/// <summary>The co-plays of a replay output's <c>coplays.jsonl</c>.</summary>
public static class ReplayCoPlays
{
    public static IReadOnlyList<CoPlay> Read(string replayOutput)
    {
        string path = Path.Combine(replayOutput, "coplays.jsonl");
        var coPlays = new List<CoPlay>();
        foreach (string line in File.ReadLines(path))
        {
            if (!CoPlayJsonlReader.TryParse(Encoding.UTF8.GetBytes(line), out CoPlay? coPlay, out string? error))
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path} line {coPlays.Count + 1} is not a co-play: {error}"));
            }

            coPlays.Add(coPlay);
        }

        return coPlays;
    }
}
