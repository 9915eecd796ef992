using System.Collections.Concurrent;
using ListeningTogether.Pipeline.Net;

namespace ListeningTogether.Pipeline.Geo;

/// <summary>A MaxMind Anonymous-IP database: is an address anonymous, a VPN, Tor, a proxy or a hosting provider. Safe for concurrent use.</summary>
public sealed class AnonymousIpDatabase : IDisposable
{
    private readonly MmdbFile _file;
    private readonly ConcurrentDictionary<int, bool> _byOffset = new();

    private AnonymousIpDatabase(MmdbFile file)
    {
        _file = file;
    }

    public string Path => _file.Path;

    public static AnonymousIpDatabase Open(string path)
    {
        var db = new AnonymousIpDatabase(MmdbFile.Open(path, "Anonymous-IP", "check Geo:AnonymousIpDb"));
        try
        {
            foreach (var (address, offset) in db._file.Tree.SampleRecords(2000))
            {
                db.IsListed(offset, address);
            }
        }
        catch
        {
            db.Dispose();
            throw;
        }

        return db;
    }

    public bool IsListed(IpAddress128 address)
    {
        int offset = _file.Tree.Find(address);
        return offset >= 0 && IsListed(offset, address);
    }

    private bool IsListed(int offset, IpAddress128 address) =>
        _byOffset.TryGetValue(offset, out bool listed)
            ? listed
            : _byOffset.GetOrAdd(offset, _file.Decode<AnonymousIpRecord>(address)?.IsListed ?? false);

    public void Dispose() => _file.Dispose();
}
