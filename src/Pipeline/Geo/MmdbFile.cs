using System.Net;
using ListeningTogether.Pipeline.Net;
using MaxMind.Db;

namespace ListeningTogether.Pipeline.Geo;

/// <summary>
/// One opened MaxMind database: its bytes for the fast search-tree walk, and a MaxMind.Db reader that decodes a
/// record the first time its data offset is seen.
/// </summary>
internal sealed class MmdbFile : IDisposable
{
    private readonly Reader _reader;

    private MmdbFile(string path, Reader reader, MmdbSearchTree tree)
    {
        Path = path;
        _reader = reader;
        Tree = tree;
    }

    public string Path { get; }

    public MmdbSearchTree Tree { get; }

    public Metadata Metadata => _reader.Metadata;

    /// <param name="missingHint">What to tell the user when the file does not exist (which setting names it).</param>
    public static MmdbFile Open(string path, string expectedTypeFragment, string missingHint)
    {
        if (!File.Exists(path))
        {
            throw new GeoDatabaseException(path, $"the file does not exist ({missingHint})");
        }

        Reader? reader = null;
        try
        {
            byte[] bytes = File.ReadAllBytes(path);
            // Memory-mapped: MaxMind.Db only decodes records on cache misses, so few of its pages are ever touched.
            reader = new Reader(path, FileAccessMode.MemoryMapped);
            Metadata m = reader.Metadata;
            if (m.DatabaseType is null)
            {
                // MaxMind.Db leaves a metadata key it did not find null.
                throw new GeoDatabaseException(path, "its metadata has no database_type");
            }

            if (!m.DatabaseType.Contains(expectedTypeFragment, StringComparison.OrdinalIgnoreCase))
            {
                throw new GeoDatabaseException(path, $"it is a {m.DatabaseType} database, expected {expectedTypeFragment}");
            }

            var treeMetadata = MmdbTreeMetadata.Read(bytes, path);
            var tree = new MmdbSearchTree(bytes, treeMetadata.NodeCount, treeMetadata.RecordSize, treeMetadata.IpVersion, path);
            var file = new MmdbFile(path, reader, tree);
            reader = null;
            return file;
        }
        catch (GeoDatabaseException)
        {
            throw;
        }
        catch (Exception e) when (e is InvalidDatabaseException or DeserializationException or IOException or UnauthorizedAccessException
            or InvalidOperationException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            // DeserializationException: metadata of the wrong types (a corrupt file, as MaxMind.Db reads it).
            throw new GeoDatabaseException(path, e.Message, e);
        }
        finally
        {
            reader?.Dispose();
        }
    }

    /// <summary>Decodes the City fields of the record at a data offset the tree gave.</summary>
    public CityGeo DecodeCity(int offset) => new CityRecordDecoder(Tree.DataSection, Path).Decode(offset);

    /// <summary>Decodes the record for an address (slow: call once per data offset).</summary>
    public T? Decode<T>(IpAddress128 address)
        where T : class
    {
        try
        {
            return _reader.Find<T>(ToIpAddress(address));
        }
        catch (Exception e) when (e is InvalidDatabaseException or InvalidOperationException or ArgumentException
            or IndexOutOfRangeException or OverflowException or DeserializationException)
        {
            throw new GeoDatabaseException(Path, $"its data section is corrupt ({e.Message})", e);
        }
    }

    public static IPAddress ToIpAddress(IpAddress128 address)
    {
        if (address.IsV4Mapped && address.IsV4Text)
        {
            return new IPAddress(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(address.V4));
        }

        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, address.Value);
        return new IPAddress(bytes);
    }

    public void Dispose() => _reader.Dispose();
}
