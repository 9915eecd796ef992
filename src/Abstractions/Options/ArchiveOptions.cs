using System.ComponentModel.DataAnnotations;

namespace ListeningTogether.Abstractions.Options;

/// <summary>Settings of the <c>Archive</c> section: the streaming Parquet play archive.</summary>
public sealed class ArchiveOptions
{
    public const string Section = "Archive";

    /// <summary>Root of the hour-partitioned archive (<c>dt=YYYY-MM-DD/hour=HH/</c>); none means plays are not archived.</summary>
    public string? ParquetDir { get; set; }

    /// <summary>Plays are flushed to the local write-ahead segment at least this often.</summary>
    [Range(1, 60_000)]
    public int FlushMs { get; set; } = 1000;

    /// <summary>A segment becomes Parquet files after this long (or when it is large).</summary>
    [Range(1, 86_400)]
    public int RollSeconds { get; set; } = 300;

    /// <summary>Hour partitions that ended longer ago than this are deleted.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 30;
}
