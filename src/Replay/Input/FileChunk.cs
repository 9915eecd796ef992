namespace ListeningTogether.Replay.Input;

/// <summary>A byte range of an input file that starts at a line start and ends after a line end (or at the end of the file).</summary>
public sealed record FileChunk(int FileIndex, string Path, long Start, long End)
{
    /// <summary>Splits a file into chunks of about <paramref name="targetBytes"/>, aligned to line ends.</summary>
    public static IEnumerable<FileChunk> Split(int fileIndex, string path, long targetBytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
        long length = stream.Length;
        long start = 0;
        var probe = new byte[64 * 1024];
        while (start < length)
        {
            long end = Math.Min(length, start + targetBytes);
            while (end < length)
            {
                stream.Position = end;
                int read = stream.Read(probe);
                int newline = probe.AsSpan(0, read).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    end += newline + 1;
                    break;
                }

                end += read;
            }

            yield return new FileChunk(fileIndex, path, start, end);
            start = end;
        }
    }
}
