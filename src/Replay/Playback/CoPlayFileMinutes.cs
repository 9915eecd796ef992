using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Results;
using ListeningTogether.Replay.Output.Sinks;
using ParquetSharp;

namespace ListeningTogether.Replay.Playback;

/// <summary>
/// Which UTC minutes of window start a result Parquet file holds, how many co-plays each, and in which row groups:
/// learnt once from its <c>window_start</c> column, so a minute's co-plays are read from its row groups only.
/// </summary>
public sealed class CoPlayFileMinutes
{
    private readonly Dictionary<long, MinuteRows> _minutes;

    private CoPlayFileMinutes(string path, Dictionary<long, MinuteRows> minutes)
    {
        Path = path;
        _minutes = minutes;
        if (minutes.Count > 0)
        {
            FirstMinuteMs = minutes.Keys.Min();
            LastMinuteMs = minutes.Keys.Max();
        }
    }

    public string Path { get; }

    /// <summary>The first minute with a co-play (epoch ms); with <see cref="LastMinuteMs"/>, the minutes the file covers. Null when it has no rows.</summary>
    public long? FirstMinuteMs { get; }

    public long? LastMinuteMs { get; }

    /// <summary>The co-plays of <paramref name="minuteMs"/> in the file (0 for a minute it has none of).</summary>
    public int CountOf(long minuteMs) => _minutes.TryGetValue(minuteMs, out MinuteRows? rows) ? rows.Count : 0;

    /// <summary>Reads the window starts of the file at <paramref name="path"/>; one that is not a result file fails with an <see cref="InvalidDataException"/>.</summary>
    public static CoPlayFileMinutes Read(string path, CancellationToken cancellationToken)
    {
        var minutes = new Dictionary<long, MinuteRows>();
        try
        {
            using var reader = new ParquetFileReader(path);
            int column = reader.FileMetaData.Schema.ColumnIndex(CoPlayParquetWriter.WindowStartColumn);
            if (column < 0)
            {
                throw new InvalidDataException($"it has no column '{CoPlayParquetWriter.WindowStartColumn}'.");
            }

            for (int g = 0; g < reader.FileMetaData.NumRowGroups; g++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using RowGroupReader group = reader.RowGroup(g);
                int n = checked((int)group.MetaData.NumRows);
                using ColumnReader columnReader = group.Column(column);
                using LogicalColumnReader<DateTime> values = columnReader.LogicalReader<DateTime>();
                foreach (DateTime windowStart in values.ReadAll(n))
                {
                    long minute = CoPlayMinuteFiles.MinuteOf(EpochMs(windowStart));
                    if (!minutes.TryGetValue(minute, out MinuteRows? rows))
                    {
                        rows = new MinuteRows();
                        minutes.Add(minute, rows);
                    }

                    rows.Add(g);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException and not InvalidDataException and not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new InvalidDataException($"'{path}' is not a readable co-play Parquet file: {e.Message}", e);
        }

        return new CoPlayFileMinutes(path, minutes);
    }

    /// <summary>The co-plays of each of <paramref name="minutesMs"/> (in file order), reading each needed row group once.</summary>
    public Dictionary<long, List<CoPlay>> ReadMinutes(IReadOnlyCollection<long> minutesMs, CancellationToken cancellationToken)
    {
        var wanted = new Dictionary<long, List<CoPlay>>();
        var groups = new SortedSet<int>();
        foreach (long minute in minutesMs)
        {
            wanted[minute] = [];
            if (_minutes.TryGetValue(minute, out MinuteRows? rows))
            {
                groups.UnionWith(rows.Groups);
            }
        }

        if (groups.Count == 0)
        {
            return wanted;
        }

        foreach (CoPlay coPlay in CoPlayParquetReader.ReadRowGroups(Path, [.. groups], cancellationToken))
        {
            if (wanted.TryGetValue(CoPlayMinuteFiles.MinuteOf(coPlay.WindowStartMs), out List<CoPlay>? list))
            {
                list.Add(coPlay);
            }
        }

        return wanted;
    }

    private static long EpochMs(DateTime windowStart) =>
        (long)(DateTime.SpecifyKind(windowStart, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalMilliseconds;

    private sealed class MinuteRows
    {
        public int Count { get; private set; }

        public List<int> Groups { get; } = [];

        public void Add(int group)
        {
            Count++;
            if (Groups.Count == 0 || Groups[^1] != group)
            {
                Groups.Add(group);
            }
        }
    }
}
