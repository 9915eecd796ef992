namespace ListeningTogether.Replay.Input;

/// <summary>
/// A piece of input one worker classifies at a time: <see cref="Bytes"/> drives the progress, <see cref="FirstBucket"/>
/// is the first time bucket its plays can fall in (<see cref="long.MinValue"/> when unknown), <see cref="Identity"/>
/// names it across attempts.
/// </summary>
internal abstract record InputPart(long Bytes, long FirstBucket, (int FileIndex, long Start) Identity)
{
    public abstract string Describe();
}

internal sealed record JsonlPart(FileChunk Chunk) : InputPart(Chunk.End - Chunk.Start, long.MinValue, (Chunk.FileIndex, Chunk.Start))
{
    public override string Describe() => $"'{Chunk.Path}' from byte {Chunk.Start}";
}

internal sealed record ParquetPart(int FileIndex, string Path, int RowGroup, long FirstRow, long Bytes, long FirstBucket)
    : InputPart(Bytes, FirstBucket, (FileIndex, RowGroup))
{
    public override string Describe() => $"'{Path}': row group {RowGroup}";
}
