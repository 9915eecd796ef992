using System.Text;

namespace ListeningTogether.Faults.Tests.WorldView;

/// <summary>
/// Where two sequences of shown co-plays part, in words a failing test can print: the first position that differs,
/// the window it is in with both sides' co-plays of that window, and how many windows differ in all. Thousands of
/// items dumped whole would hide that.
/// </summary>
public static class SequenceDifference
{
    private const int WindowsListed = 5;

    /// <summary>Null when the sequences are equal, item for item in order; otherwise what differs.</summary>
    public static string? Describe(string leftName, IReadOnlyList<ShownCoPlay> left, string rightName, IReadOnlyList<ShownCoPlay> right)
    {
        int first = 0;
        while (first < left.Count && first < right.Count && left[first] == right[first])
        {
            first++;
        }

        if (first == left.Count && first == right.Count)
        {
            return null;
        }

        Dictionary<string, ShownCoPlay[]> leftWindows = ByWindow(left);
        Dictionary<string, ShownCoPlay[]> rightWindows = ByWindow(right);
        string[] differing = [.. leftWindows.Keys.Union(rightWindows.Keys)
            .Where(w => !leftWindows.GetValueOrDefault(w, []).SequenceEqual(rightWindows.GetValueOrDefault(w, [])))
            .Order(StringComparer.Ordinal)];

        var text = new StringBuilder()
            .AppendLine($"{leftName}: {left.Count} co-plays in {leftWindows.Count} windows; {rightName}: {right.Count} co-plays in {rightWindows.Count} windows.")
            .AppendLine($"They part at position {first}: {leftName} has {At(left, first)}, {rightName} has {At(right, first)}.")
            .AppendLine($"{differing.Length} windows differ; the first {Math.Min(WindowsListed, differing.Length)}:");
        foreach (string window in differing.Take(WindowsListed))
        {
            ShownCoPlay[] l = leftWindows.GetValueOrDefault(window, []);
            ShownCoPlay[] r = rightWindows.GetValueOrDefault(window, []);
            text.AppendLine($"  {window}: {leftName} {l.Length}, {rightName} {r.Length}; only in {leftName}: [{Tracks(l.Except(r))}]; only in {rightName}: [{Tracks(r.Except(l))}]{(l.Length == r.Length && !l.Except(r).Any() ? "; same co-plays in another order" : "")}");
        }

        return text.ToString();
    }

    private static Dictionary<string, ShownCoPlay[]> ByWindow(IReadOnlyList<ShownCoPlay> sequence) =>
        sequence.GroupBy(c => c.WindowStart, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    private static string At(IReadOnlyList<ShownCoPlay> sequence, int index) => index < sequence.Count ? sequence[index].ToString() : "nothing more";

    private static string Tracks(IEnumerable<ShownCoPlay> coPlays) => string.Join(", ", coPlays.Select(c => c.TrackId));
}
