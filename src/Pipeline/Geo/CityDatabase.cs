using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Net;

namespace ListeningTogether.Pipeline.Geo;

/// <summary>
/// A MaxMind City database: address -> city, coordinates and accuracy radius. Lookups walk the search tree and
/// decode each distinct record once; every address of a network (and every network sharing a record) then costs
/// only the walk and a cache hit. Safe for concurrent use.
/// </summary>
public sealed class CityDatabase : IDisposable
{
    private const int StartupProbeRecords = 2000;

    private readonly MmdbFile _file;
    private readonly OffsetIndex _byOffset = new();
    private readonly Lock _registering = new();
    private readonly Dictionary<Location, GeoPoint> _places = [];

    // Every distinct place's point by its id, so batch code can keep place ids and find the points by index.
    private GeoPoint[] _byPlace = new GeoPoint[1024];
    private int _placeCount;

    // Every decoded record also gets a dense id, so batch code can refer to it with an int and find it by index.
    private CityGeo[] _byId = new CityGeo[1024];
    private int _ids;

    private CityDatabase(MmdbFile file)
    {
        _file = file;
    }

    public string Path => _file.Path;

    public string DatabaseType => _file.Metadata.DatabaseType;

    public DateTimeOffset BuildTime => new(DateTime.SpecifyKind(_file.Metadata.BuildDate, DateTimeKind.Utc));

    /// <summary>Opens and checks the database; a missing, foreign or corrupt file is a <see cref="GeoDatabaseException"/> naming it.</summary>
    public static CityDatabase Open(string path)
    {
        var db = new CityDatabase(MmdbFile.Open(path, "City", "run scripts/setup.sh to install the GeoLite2 City database, or set Geo:CityDb"));
        try
        {
            foreach (var (_, offset) in db._file.Tree.SampleRecords(StartupProbeRecords))
            {
                db.Resolve(offset);
            }
        }
        catch
        {
            db.Dispose();
            throw;
        }

        return db;
    }

    /// <summary>The data offset of the record for an address, or <see cref="MmdbSearchTree.NotFound"/>.</summary>
    public int FindRecord(IpAddress128 address) => _file.Tree.Find(address);

    /// <summary>As <see cref="FindRecord(IpAddress128)"/>, also giving the prefix length of the answering network.</summary>
    public int FindRecord(IpAddress128 address, out int prefixLength) => _file.Tree.Find(address, out prefixLength);

    /// <summary>
    /// <see cref="FindRecord(IpAddress128)"/> for a batch of addresses, walked in address order with overlapping
    /// walks; code that looks up batch after batch keeps an <see cref="AddressOrderLookup"/> and its buffers instead.
    /// </summary>
    public void FindRecords(ReadOnlySpan<IpAddress128> addresses, Span<int> offsets) =>
        new AddressOrderLookup(this).FindRecords(addresses, offsets);

    /// <summary>As <see cref="FindRecords"/> for dotted-quad IPv4 addresses, fastest in ascending order.</summary>
    internal void FindRecordsV4(ReadOnlySpan<uint> addresses, Span<int> offsets) => _file.Tree.FindManyV4(addresses, offsets);

    /// <summary>As <see cref="FindRecords"/> for every other address (its 128-bit value), fastest in ascending order.</summary>
    internal void FindRecordsV6(ReadOnlySpan<UInt128> addresses, Span<int> offsets) => _file.Tree.FindManyV6(addresses, offsets);

    /// <summary>Distinct records decoded so far.</summary>
    public int DecodedRecords => Volatile.Read(ref _ids);

    /// <summary>
    /// Decodes every record of the database now. A process that runs for long sees ever more networks and would
    /// decode their records one by one, its memory growing toward that of all of them; this puts it there from the
    /// start (some 340,000 records and 50 MB for GeoLite2 City, 2 to 3 s of one core). Safe alongside lookups.
    /// Returns the distinct records held.
    /// </summary>
    public int DecodeAll(CancellationToken cancellationToken = default)
    {
        int walked = 0;
        foreach (int offset in _file.Tree.AllRecordOffsets())
        {
            if ((++walked & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            Resolve(offset);
        }

        return DecodedRecords;
    }

    /// <summary>The decoded record at a data offset a lookup gave.</summary>
    public CityGeo Resolve(int offset) =>
        _byOffset.TryGet(offset, out int id) ? ById(id) : Register(offset);

    /// <summary>A place already resolved, by its <see cref="GeoPoint.PlaceId"/>.</summary>
    public GeoPoint PlaceById(int placeId) => Volatile.Read(ref _byPlace)[placeId];

    /// <summary>How many distinct places have been resolved: <see cref="PlaceById"/> knows the ids below.</summary>
    public int PlaceCount => Volatile.Read(ref _placeCount);

    /// <summary>A record already resolved, by its <see cref="CityGeo.Id"/>.</summary>
    private CityGeo ById(int id) => Volatile.Read(ref _byId)[id];

    private CityGeo Register(int offset)
    {
        CityGeo decoded = _file.DecodeCity(offset);
        lock (_registering)
        {
            if (_byOffset.TryGet(offset, out int existing))
            {
                return ById(existing);
            }

            CityGeo geo = new CityGeo(decoded.Location is { } place ? Share(place) : null, decoded.AccuracyRadiusKm) { Id = _ids };
            CityGeo[] byId = _byId;
            if (_ids == byId.Length)
            {
                Array.Resize(ref byId, byId.Length * 2);
            }

            byId[_ids++] = geo;
            Volatile.Write(ref _byId, byId);

            // Indexed only once the record can be found by its id.
            _byOffset.Add(offset, geo.Id);
            return geo;
        }
    }

    /// <summary>
    /// One point per distinct place, numbered densely from 0 in order of first sight (<see cref="GeoPoint.PlaceId"/>):
    /// many records give the same city at the same coordinates, and result writing keeps each place's text by its
    /// number. Called under the registration lock.
    /// </summary>
    private GeoPoint Share(Location place)
    {
        if (_places.TryGetValue(place, out GeoPoint? shared))
        {
            return shared;
        }

        var point = new GeoPoint(place, _places.Count);
        GeoPoint[] byPlace = _byPlace;
        if (point.PlaceId == byPlace.Length)
        {
            Array.Resize(ref byPlace, byPlace.Length * 2);
        }

        byPlace[point.PlaceId] = point;
        Volatile.Write(ref _byPlace, byPlace);
        _places.Add(place, point);
        Volatile.Write(ref _placeCount, _places.Count);
        return point;
    }

    /// <summary>Up to <paramref name="max"/> distinct records, each with one address of its network, in tree order.</summary>
    internal List<(IpAddress128 Address, int Offset)> SampleRecords(int max) => _file.Tree.SampleRecords(max);

    /// <summary>The record for an address, or null when the database has none.</summary>
    public CityGeo? Lookup(IpAddress128 address)
    {
        int offset = FindRecord(address);
        return offset < 0 ? null : Resolve(offset);
    }

    public void Dispose() => _file.Dispose();
}
