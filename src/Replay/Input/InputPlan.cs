using ListeningTogether.Replay.Archive;
using ListeningTogether.Replay.Output.Summary;

namespace ListeningTogether.Replay.Input;

/// <summary>The first pass's work list: the input files as parts, in file order.</summary>
internal static class InputPlan
{
    /// <summary>
    /// Splits the inputs into parts the workers take one at a time: JSONL files into line-aligned chunks, Parquet
    /// files into their row groups (opening each Parquet file here, so a corrupt one fails, or is skipped, before any work).
    /// </summary>
    /// <param name="bucketOf">The time bucket of an epoch millisecond, to give each row group the first bucket its
    /// played_at statistics allow; null to trust no statistics (every part can then hold any bucket).</param>
    public static List<InputPart> Parts(
        IReadOnlyList<string> files,
        bool skipBadFiles,
        Func<long, long>? bucketOf,
        List<(int FileIndex, SkippedFile File)> skipped,
        CancellationToken cancellationToken)
    {
        var parts = new List<InputPart>();
        for (int i = 0; i < files.Count; i++)
        {
            if (!InputFiles.IsParquet(files[i]))
            {
                try
                {
                    parts.AddRange([.. FileChunk.Split(i, files[i], 32L << 20).Select(c => new JsonlPart(c))]);
                }
                catch (Exception e) when (skipBadFiles && e is IOException or UnauthorizedAccessException)
                {
                    skipped.Add((i, new SkippedFile(files[i], $"'{files[i]}' cannot be read: {e.Message}")));
                }

                continue;
            }

            ParquetPlayFile file;
            try
            {
                file = ParquetPlayFile.Open(files[i]);
            }
            catch (InputFileException e) when (skipBadFiles)
            {
                skipped.Add((i, new SkippedFile(files[i], e.Message)));
                continue;
            }

            long fileBytes = new FileInfo(files[i]).Length;
            cancellationToken.ThrowIfCancellationRequested();
            using (file)
            {
                long totalRows = Math.Max(1, file.RowGroupRows.Sum());
                long firstRow = 0;
                for (int g = 0; g < file.RowGroupRows.Count; g++)
                {
                    // Progress only: a row group's share of the file's bytes by its rows.
                    long firstBucket = bucketOf is not null && file.PlayedAtRange(g) is var (fromMs, _) ? bucketOf(fromMs) : long.MinValue;
                    parts.Add(new ParquetPart(i, files[i], g, firstRow, fileBytes * file.RowGroupRows[g] / totalRows, firstBucket));
                    firstRow += file.RowGroupRows[g];
                }
            }
        }

        return parts;
    }
}
