using System.Text;
using System.Text.Json;

namespace ListeningTogether.Faults.Tests.Stop;

/// <summary>Results JSONL rows as tests compare them: every whole row, in DESIGN.md's order, so that a duplicate row shows.</summary>
public static class CoPlayRows
{
    /// <summary>The rows of <paramref name="paths"/> (missing files have none) ordered by window start, then track id by UTF-8 bytes, as one text.</summary>
    public static string Read(params string[] paths) => Ordered(paths.Where(File.Exists).SelectMany(ReadLines));

    /// <summary>Distinct (window start, track) keys among the rows of <paramref name="paths"/>.</summary>
    public static int CountKeys(params string[] paths) =>
        Keyed(paths.Where(File.Exists).SelectMany(ReadLines)).Select(r => r.Key).Distinct().Count();

    /// <summary>The window start of a row, as it is written (<c>2026-11-26T09:00:00.000Z</c>).</summary>
    public static string WindowStartOf(string row)
    {
        using JsonDocument json = JsonDocument.Parse(row);
        return json.RootElement.GetProperty("windowStart").GetString()!;
    }

    public static string Ordered(IEnumerable<string> rows) => string.Concat(Keyed(rows)
        .OrderBy(r => r.Key.WindowStart, StringComparer.Ordinal)
        .ThenBy(r => Encoding.UTF8.GetBytes(r.Key.TrackId), ByteOrder.Instance)
        .Select(r => r.Row + "\n"));

    // Shared, as lt may be appending to the file or renaming a compacted one over it.
    private static IEnumerable<string> ReadLines(string path)
    {
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }

    private static IEnumerable<((string WindowStart, string TrackId) Key, string Row)> Keyed(IEnumerable<string> rows)
    {
        foreach (string row in rows)
        {
            (string, string)? key = null;
            try
            {
                using JsonDocument json = JsonDocument.Parse(row);
                key = (json.RootElement.GetProperty("windowStart").GetString()!, json.RootElement.GetProperty("trackId").GetString()!);
            }
            catch (JsonException)
            {
                // A live file may end in a line still being written.
            }

            if (key is { } whole)
            {
                yield return (whole, row);
            }
        }
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
