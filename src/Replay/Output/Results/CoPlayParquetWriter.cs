using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Summary;
using ParquetSharp;
using ParquetSharp.Schema;

namespace ListeningTogether.Replay.Output.Results;

/// <summary>
/// Writes co-plays, handed over already sorted by (window_start, track_id), as DESIGN.md's result Parquet
/// columns: a row group every <see cref="RowGroupSize"/> co-plays so memory stays bounded, and key-value metadata
/// (the settings and the City database) in the footer. Apache Parquet C++ (through ParquetSharp) encodes the
/// columns, Snappy-compressed: writing an hour's 800,000 co-plays takes a fraction of what a managed encoder did.
/// </summary>
internal sealed class CoPlayParquetWriter : IAsyncDisposable
{
    public const int RowGroupSize = 100_000;

    public const string WindowStartColumn = "window_start";
    public const string TrackIdColumn = "track_id";
    public const string PlaysColumn = "plays";
    public const string LocationsColumn = "locations";
    public const string DistanceKmColumn = "distance_km";

    private readonly FailureKeepingStream _output;
    private readonly ParquetFileWriter _writer;
    private readonly CoPlayRowGroup _pending;
    private bool _completed;

    private CoPlayParquetWriter(FailureKeepingStream output, ParquetFileWriter writer, CoPlayRowGroup pending)
    {
        _output = output;
        _writer = writer;
        _pending = pending;
    }

    public long Written { get; private set; }

    /// <summary>A writer onto <paramref name="output"/>, which stays open (its owner closes it after <see cref="CompleteAsync"/>).</summary>
    public static Task<CoPlayParquetWriter> CreateAsync(Stream output, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) =>
        CreateAsync(output, metadata, null, null, cancellationToken);

    /// <summary>As above, with the row group to hold pending rows in.</summary>
    /// <param name="output">The stream the file is written to.</param>
    /// <param name="metadata">The file's key-value metadata.</param>
    /// <param name="rows">
    /// A row group of <see cref="RowGroupSize"/> rows to reuse, emptied first, for a caller that writes file after file
    /// (one writer at a time): its columns and arenas are then allocated once rather than per file. Null: a new one.
    /// </param>
    /// <param name="memory">The native memory pool of the writer (<see cref="ParquetMemory.LongRunning"/>); null: Parquet C++'s default.</param>
    /// <param name="cancellationToken">Cancels before anything is written.</param>
    public static Task<CoPlayParquetWriter> CreateAsync(Stream output, IReadOnlyDictionary<string, string> metadata, CoPlayRowGroup? rows, MemoryPool? memory, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using GroupNode schema = Schema();
        using var builder = new WriterPropertiesBuilder();
        // A distance is a unique double per row: a dictionary of them only costs time (5% of the file's) and no space.
        builder.Compression(Compression.Snappy).DisableDictionary(DistanceKmColumn);
        if (memory is not null)
        {
            builder.MemoryPool(memory);
        }

        using WriterProperties properties = builder.Build();
        if (rows is not null && rows.Capacity != RowGroupSize)
        {
            throw new ArgumentException($"A reused row group must take {RowGroupSize} rows.", nameof(rows));
        }

        rows?.Clear();
        var kept = new FailureKeepingStream(output);
        try
        {
            return Task.FromResult(new CoPlayParquetWriter(kept, new ParquetFileWriter(kept, schema, properties, metadata, leaveOpen: true), rows ?? new CoPlayRowGroup(RowGroupSize)));
        }
        catch (ParquetException e)
        {
            kept.Rethrow(e);
            throw;
        }
    }

    /// <summary>The key-value metadata of a result file: the settings and the City database that made it.</summary>
    public static IReadOnlyDictionary<string, string> Metadata(ReplaySettings settings, CityDatabaseInfo cityDatabase)
    {
        Dictionary<string, string> metadata = CoPlayParquetMetadata.Of(settings.WindowMs, settings.MinDistanceKm, settings.MaxAccuracyRadiusKm, cityDatabase);
        if (settings.FromMs is long from)
        {
            metadata["from"] = JsonText.FormatTime(from);
        }

        if (settings.ToMs is long to)
        {
            metadata["to"] = JsonText.FormatTime(to);
        }

        return metadata;
    }

    /// <summary>Adds co-plays (in output order); writes a row group whenever <see cref="RowGroupSize"/> are pending.</summary>
    public ValueTask WriteAsync(IReadOnlyList<CoPlay> coPlays, CancellationToken cancellationToken) =>
        WriteAsync(coPlays, null, cancellationToken);

    /// <summary>As above, with each co-play's place ids at its index (when known).</summary>
    public ValueTask WriteAsync(IReadOnlyList<CoPlay> coPlays, IReadOnlyList<CoPlayPlaces>? places, CancellationToken cancellationToken)
    {
        for (int i = 0; i < coPlays.Count; i++)
        {
            _pending.Add(coPlays[i], places is null ? CoPlayPlaces.None : places[i]);
            if (_pending.Count == _pending.Capacity)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Flush();
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Writes what is pending and the footer; the stream then holds a complete file.</summary>
    public Task CompleteAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Flush();
        try
        {
            _writer.Close();
        }
        catch (ParquetException e)
        {
            _output.Rethrow(e);
        }

        _completed = true;
        _writer.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Releases an incomplete writer (after a failure; the file is then not a valid Parquet file); after <see cref="CompleteAsync"/> there is nothing left to do.</summary>
    public ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            _writer.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private void Flush()
    {
        if (_pending.Count > 0)
        {
            Written += _pending.Count;
            try
            {
                _pending.WriteTo(_writer);
            }
            catch (ParquetException e)
            {
                _output.Rethrow(e);
            }
        }
    }

    /// <summary>DESIGN.md's columns; ids, counts and coordinates required, city and country names optional.</summary>
    private static GroupNode Schema()
    {
        Node[] fields =
        [
            Column(WindowStartColumn, Repetition.Required, LogicalType.Timestamp(isAdjustedToUtc: true, TimeUnit.Millis), PhysicalType.Int64),
            Column(TrackIdColumn, Repetition.Required, LogicalType.String(), PhysicalType.ByteArray),
            Column(PlaysColumn, Repetition.Required, LogicalType.None(), PhysicalType.Int64),
            Column(LocationsColumn, Repetition.Required, LogicalType.None(), PhysicalType.Int64),
            .. PlaceColumns("a"),
            .. PlaceColumns("b"),
            Column(DistanceKmColumn, Repetition.Required, LogicalType.None(), PhysicalType.Double),
        ];
        try
        {
            return new GroupNode("schema", Repetition.Required, fields);
        }
        finally
        {
            foreach (Node field in fields)
            {
                field.Dispose();
            }
        }
    }

    private static Node[] PlaceColumns(string prefix) =>
    [
        Column($"{prefix}_geoname_id", Repetition.Required, LogicalType.None(), PhysicalType.Int64),
        Column($"{prefix}_city", Repetition.Optional, LogicalType.String(), PhysicalType.ByteArray),
        Column($"{prefix}_country", Repetition.Optional, LogicalType.String(), PhysicalType.ByteArray),
        Column($"{prefix}_lat", Repetition.Required, LogicalType.None(), PhysicalType.Double),
        Column($"{prefix}_lon", Repetition.Required, LogicalType.None(), PhysicalType.Double),
    ];

    private static PrimitiveNode Column(string name, Repetition repetition, LogicalType logicalType, PhysicalType physicalType)
    {
        using (logicalType)
        {
            return new PrimitiveNode(name, repetition, logicalType, physicalType);
        }
    }
}
