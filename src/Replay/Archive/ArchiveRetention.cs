namespace ListeningTogether.Replay.Archive;

/// <summary>Deletes the hour partitions of an archive whose hour ended more than the retention ago; nothing else.</summary>
internal static class ArchiveRetention
{
    /// <summary>Returns the number of hour partitions deleted; a day folder left empty goes too.</summary>
    public static int Apply(string root, DateTimeOffset now, int retentionDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(retentionDays);
        DateTime cutoff = now.UtcDateTime.AddDays(-retentionDays);
        int deleted = 0;
        foreach ((string folder, DateTime hourStart) in ArchivePartitions.List(root).ToList())
        {
            if (hourStart.AddHours(1) <= cutoff)
            {
                Directory.Delete(folder, recursive: true);
                deleted++;
                string day = Path.GetDirectoryName(folder)!;
                if (!Directory.EnumerateFileSystemEntries(day).Any())
                {
                    Directory.Delete(day);
                }
            }
        }

        return deleted;
    }
}
