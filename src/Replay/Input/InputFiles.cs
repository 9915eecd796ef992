using Microsoft.Extensions.FileSystemGlobbing;

namespace ListeningTogether.Replay.Input;

/// <summary>Expands replay inputs (files, folders searched recursively, globs) into the play files to read.</summary>
public static class InputFiles
{
    private static readonly string[] Extensions = [".jsonl", ".parquet"];

    public static IReadOnlyList<string> Expand(IEnumerable<string> inputs)
    {
        var files = new List<string>();
        foreach (string input in inputs)
        {
            if (File.Exists(input))
            {
                files.Add(Path.GetFullPath(input));
            }
            else if (Directory.Exists(input))
            {
                files.AddRange(Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories)
                    .Where(f => IsPlayFile(f) && !IsHidden(Path.GetRelativePath(input, f)))
                    .Select(Path.GetFullPath)
                    .Order(StringComparer.Ordinal));
            }
            else if (input.AsSpan().IndexOfAny('*', '?') >= 0)
            {
                var matches = ExpandGlob(input);
                if (matches.Count == 0)
                {
                    throw new FileNotFoundException($"No play files match '{input}'.", input);
                }

                files.AddRange(matches);
            }
            else
            {
                throw new FileNotFoundException($"Input '{input}' does not exist.", input);
            }
        }

        return files.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether a play file is read as Parquet (by its <c>.parquet</c> extension); any other file is JSONL.</summary>
    public static bool IsParquet(string path) =>
        Path.GetExtension(path).Equals(".parquet", StringComparison.OrdinalIgnoreCase);

    private static bool IsPlayFile(string path) =>
        Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    private static bool IsHidden(string relativePath) =>
        relativePath.Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('_') || part.StartsWith('.'));

    private static List<string> ExpandGlob(string pattern)
    {
        string full = Path.GetFullPath(pattern);
        int firstWild = full.AsSpan().IndexOfAny('*', '?');
        string root = full[..(full.LastIndexOf(Path.DirectorySeparatorChar, firstWild) + 1)];
        if (!Directory.Exists(root))
        {
            return [];
        }

        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(full[root.Length..]);
        return matcher.GetResultsInFullPath(root)
            .Where(f => IsPlayFile(f) && !IsHidden(Path.GetRelativePath(root, f)))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
