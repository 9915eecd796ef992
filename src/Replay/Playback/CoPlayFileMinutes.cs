using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
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

    /// <summary>
    /// The co-plays of each of <paramref name="minutesMs"/> a viewer could be shown, reading each needed row group
    /// once: a window of at most <paramref name="maxPerWindow"/> co-plays comes whole, in file order; a larger one
    /// only with its co-plays ranked within the first <paramref name="maxPerWindow"/> by distance, then plays (and
    /// all tied with the last of them), in the viewer rule's order (distance, plays, then track id by UTF-8 bytes).
    /// The viewer rule, given either, picks the same co-plays in the same order as from the whole window.
    /// </summary>
    public Dictionary<long, List<CoPlay>> ReadMinutes(IReadOnlyCollection<long> minutesMs, int maxPerWindow, CancellationToken cancellationToken)
    {
        var wanted = minutesMs.ToDictionary(m => m, _ => new List<CoPlay>());
        int[] groups = [.. minutesMs.SelectMany(m => _minutes.TryGetValue(m, out MinuteRows? rows) ? rows.Groups : []).Distinct().Order()];
        if (groups.Length == 0)
        {
            return wanted;
        }

        try
        {
            using var reader = new ParquetFileReader(Path);
            SchemaDescriptor schema = reader.FileMetaData.Schema;
            var keys = new GroupKeys[groups.Length];
            var windows = new SortedDictionary<long, List<(int Group, int Row)>>();
            List<(int Group, int Row)>? members = null;
            long membersWindow = 0;
            for (int i = 0; i < groups.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using RowGroupReader group = reader.RowGroup(groups[i]);
                keys[i] = GroupKeys.Read(group, schema);
                for (int row = 0; row < keys[i].WindowStartMs.Length; row++)
                {
                    long window = keys[i].WindowStartMs[row];

                    // Rows come sorted by window: the window of the row before is nearly always this one's.
                    if (members is null || window != membersWindow)
                    {
                        if (!wanted.ContainsKey(CoPlayMinuteFiles.MinuteOf(window)))
                        {
                            members = null;
                            continue;
                        }

                        if (!windows.TryGetValue(window, out members))
                        {
                            members = [];
                            windows.Add(window, members);
                        }

                        membersWindow = window;
                    }

                    members.Add((i, row));
                }
            }

            var large = new HashSet<long>();
            foreach (var (window, rows) in windows)
            {
                if (rows.Count > maxPerWindow)
                {
                    large.Add(window);
                }

                foreach (var (g, row) in Candidates(rows, keys, maxPerWindow))
                {
                    keys[g].Keep[row] = true;
                }
            }

            var read = new Dictionary<(int Group, int Row), CoPlay>();
            var kept = new List<(int Row, CoPlay CoPlay)>();
            for (int i = 0; i < groups.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using RowGroupReader group = reader.RowGroup(groups[i]);
                kept.Clear();
                KeptRowsReader.Read(group, schema, keys[i].Keep, keys[i].WindowStartMs, keys[i].Plays, keys[i].DistanceKm, kept);
                foreach (var (row, coPlay) in kept)
                {
                    read.Add((i, row), coPlay);
                }
            }

            foreach (var (window, rows) in windows)
            {
                IEnumerable<CoPlay> shown = rows.Where(read.ContainsKey).Select(m => read[m]);
                wanted[CoPlayMinuteFiles.MinuteOf(window)].AddRange(large.Contains(window) ? shown.Order(ViewerOrder.Instance) : shown);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException and not InvalidDataException)
        {
            throw new InvalidDataException($"'{Path}' is not a readable co-play Parquet file: {e.Message}", e);
        }

        return wanted;
    }

    /// <summary>The members ranked within the first <paramref name="max"/> by (distance, plays) descending, with every tie of the last.</summary>
    private static IEnumerable<(int Group, int Row)> Candidates(List<(int Group, int Row)> members, GroupKeys[] keys, int max)
    {
        if (members.Count <= max)
        {
            return members;
        }

        if (max == 0)
        {
            return [];
        }

        var ranked = new RankKey[members.Count];
        for (int i = 0; i < ranked.Length; i++)
        {
            var (g, row) = members[i];
            ranked[i] = new RankKey(keys[g].DistanceKm[row], keys[g].Plays[row], g, row);
        }

        Array.Sort(ranked, RankKey.Descending);
        RankKey last = ranked[max - 1];
        return ranked.TakeWhile((k, i) => i < max || (k.DistanceKm == last.DistanceKm && k.Plays == last.Plays)).Select(k => (k.Group, k.Row));
    }

    private static long EpochMs(DateTime windowStart) =>
        (long)(DateTime.SpecifyKind(windowStart, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalMilliseconds;

    /// <summary>A row's place in the rule's first two keys.</summary>
    private readonly record struct RankKey(double DistanceKm, long Plays, int Group, int Row)
    {
        public static readonly Comparison<RankKey> Descending = (x, y) =>
            y.DistanceKm != x.DistanceKm ? y.DistanceKm.CompareTo(x.DistanceKm) : y.Plays.CompareTo(x.Plays);
    }

    /// <summary>What the viewer rule ranks by, for every row of a row group, and which rows are read in full.</summary>
    private sealed record GroupKeys(long[] WindowStartMs, long[] Plays, double[] DistanceKm, bool[] Keep)
    {
        public static GroupKeys Read(RowGroupReader group, SchemaDescriptor schema)
        {
            int n = checked((int)group.MetaData.NumRows);
            long[] windowStart = [.. KeptRowsReader.Values<DateTime>(group, schema, CoPlayParquetWriter.WindowStartColumn, n).Select(EpochMs)];
            return new GroupKeys(
                windowStart,
                KeptRowsReader.Values<long>(group, schema, CoPlayParquetWriter.PlaysColumn, n),
                KeptRowsReader.Values<double>(group, schema, CoPlayParquetWriter.DistanceKmColumn, n),
                new bool[n]);
        }
    }

    /// <summary>The viewer rule's order: distance, then plays, descending, then track id by UTF-8 bytes.</summary>
    private sealed class ViewerOrder : IComparer<CoPlay>
    {
        public static readonly ViewerOrder Instance = new();

        public int Compare(CoPlay? x, CoPlay? y)
        {
            int byDistance = y!.DistanceKm.CompareTo(x!.DistanceKm);
            if (byDistance != 0)
            {
                return byDistance;
            }

            int byPlays = y.Plays.CompareTo(x.Plays);
            return byPlays != 0 ? byPlays : CoPlayOrder.CompareUtf8(x.TrackId, y.TrackId);
        }
    }

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
