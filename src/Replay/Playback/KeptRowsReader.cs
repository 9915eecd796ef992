using System.Runtime.InteropServices;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Results;
using ParquetSharp;

namespace ListeningTogether.Replay.Playback;

/// <summary>
/// Reads some rows of a result file's row group into co-plays. Every column is decoded, but strings are made for
/// the kept rows only: most of the cost of reading a whole file back is its millions of city, country and track strings.
/// </summary>
internal static class KeptRowsReader
{
    private const int BatchRows = 4096;

    /// <param name="keep">One flag per row of the group.</param>
    /// <param name="into">Gets (row, co-play) of each kept row, in row order.</param>
    public static void Read(RowGroupReader group, SchemaDescriptor schema, bool[] keep, long[] windowStartMs, long[] plays, double[] distanceKm, List<(int Row, CoPlay CoPlay)> into)
    {
        string?[] track = Strings(group, schema, CoPlayParquetWriter.TrackIdColumn, keep);
        long[] locations = Values<long>(group, schema, CoPlayParquetWriter.LocationsColumn, keep.Length);
        Location?[] a = Places(group, schema, "a", keep);
        Location?[] b = Places(group, schema, "b", keep);
        for (int row = 0; row < keep.Length; row++)
        {
            if (keep[row])
            {
                string id = track[row] ?? throw new InvalidDataException($"row {row} has no track_id.");
                into.Add((row, new CoPlay(windowStartMs[row], id, plays[row], locations[row], a[row]!, b[row]!, distanceKm[row])));
            }
        }
    }

    /// <summary>A column's values in the row group, by name; a column of another type fails (and so does the file).</summary>
    public static T[] Values<T>(RowGroupReader group, SchemaDescriptor schema, string name, int rows)
    {
        using ColumnReader column = group.Column(IndexOf(schema, name));
        using LogicalColumnReader<T> values = column.LogicalReader<T>();
        return values.ReadAll(rows);
    }

    private static Location?[] Places(RowGroupReader group, SchemaDescriptor schema, string prefix, bool[] keep)
    {
        long[] geonameId = Values<long>(group, schema, prefix + "_geoname_id", keep.Length);
        string?[] city = Strings(group, schema, prefix + "_city", keep);
        string?[] country = Strings(group, schema, prefix + "_country", keep);
        double[] lat = Values<double>(group, schema, prefix + "_lat", keep.Length);
        double[] lon = Values<double>(group, schema, prefix + "_lon", keep.Length);
        var places = new Location?[keep.Length];
        for (int row = 0; row < keep.Length; row++)
        {
            if (keep[row])
            {
                places[row] = new Location(geonameId[row], city[row], country[row], lat[row], lon[row]);
            }
        }

        return places;
    }

    /// <summary>A UTF-8 string column's values of the kept rows (null for the others and for nulls).</summary>
    private static string?[] Strings(RowGroupReader group, SchemaDescriptor schema, string name, bool[] keep)
    {
        int index = IndexOf(schema, name);
        int maxDefinition = schema.Column(index).MaxDefinitionLevel;
        var result = new string?[keep.Length];
        using var reader = (ColumnReader<ByteArray>)group.Column(index);
        var values = new ByteArray[BatchRows];
        var definitions = new short[BatchRows];
        var repetitions = new short[BatchRows];
        int row = 0;
        while (row < keep.Length && reader.HasNext)
        {
            int levels = checked((int)reader.ReadBatch(Math.Min(BatchRows, keep.Length - row), definitions, repetitions, values, out long _));
            if (levels == 0)
            {
                break;
            }

            for (int i = 0, v = 0; i < levels; i++, row++)
            {
                if (maxDefinition == 0 || definitions[i] == maxDefinition)
                {
                    if (keep[row])
                    {
                        result[row] = values[v].Length == 0 ? "" : Marshal.PtrToStringUTF8(values[v].Pointer, values[v].Length);
                    }

                    v++;
                }
            }
        }

        return result;
    }

    private static int IndexOf(SchemaDescriptor schema, string name)
    {
        int index = schema.ColumnIndex(name);
        return index >= 0 ? index : throw new InvalidDataException($"it has no column '{name}'.");
    }
}
