using ParquetSharp;

namespace ListeningTogether.Replay.Output.Results;

/// <summary>
/// The native memory pool of the Parquet writers of a long-running process (the streaming results sink, the archive):
/// jemalloc, which gives pages it no longer uses back to the system after a short delay, where Parquet C++'s default
/// (mimalloc) kept more and more of what the writers once used (README "Memory over a long run"). The system
/// allocator where jemalloc is not built in. Replay's short runs keep the default.
/// </summary>
internal static class ParquetMemory
{
    private static readonly Lazy<MemoryPool> Pool = new(Create);

    public static MemoryPool LongRunning => Pool.Value;

    private static MemoryPool Create()
    {
        try
        {
            return MemoryPool.JemallocMemoryPool();
        }
        catch (ParquetException)
        {
            return MemoryPool.SystemMemoryPool();
        }
    }
}
