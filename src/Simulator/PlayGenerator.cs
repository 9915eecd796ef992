using System.Buffers.Binary;

namespace ListeningTogether.Simulator;

/// <summary>
/// The mutable state of one stream of simulated records: the random generator, the city weights of the current
/// minute and the recent records that may be redelivered. Not thread-safe; each stream has its own.
/// </summary>
internal sealed class PlayGenerator
{
    /// <summary>Clients report a play up to this long after it happened, which makes event times a little out of order.</summary>
    public const int MaxDelayMs = 500;

    private const double IPv6Share = 0.35;
    private const double PrivateSessionFieldShare = 0.85; // the others leave the field out
    private const long Users = 10_000_000;
    private const int RedeliveryWindow = 16;

    private readonly ListenerCities _cities;
    private readonly TrackCatalog _catalog;
    private readonly SimulatorRates _rates;
    private readonly SimulatorRandom _random;
    private readonly CityPicker _picker;
    private readonly SimulatedPlay[] _recent = new SimulatedPlay[RedeliveryWindow];
    private int _recentCount;
    private int _recentNext;

    public PlayGenerator(ListenerCities cities, TrackCatalog catalog, SimulatorRates rates, int seed)
    {
        _cities = cities;
        _catalog = catalog;
        _rates = rates;
        _random = new SimulatorRandom(seed, stream: 2);
        _picker = new CityPicker(cities);
    }

    /// <summary>
    /// The next record: a redelivery of one of the last few records, or a new play that happened up to
    /// <see cref="MaxDelayMs"/> before <paramref name="nowMs"/>, but not before <paramref name="earliestMs"/>.
    /// </summary>
    public SimulatedPlay Next(long nowMs, long earliestMs)
    {
        if (_recentCount > 0 && _random.Chance(_rates.Duplicate))
        {
            return _recent[_random.Next(_recentCount)] with { IsRedelivery = true };
        }

        long delay = (long)(_random.NextDouble() * _random.NextDouble() * MaxDelayMs);
        var play = NewPlay(Math.Max(earliestMs, nowMs - delay));
        _recent[_recentNext] = play;
        _recentNext = (_recentNext + 1) % RedeliveryWindow;
        _recentCount = Math.Min(_recentCount + 1, RedeliveryWindow);
        return play;
    }

    private SimulatedPlay NewPlay(long playedAtMs)
    {
        var kind = _rates.KindOf(_random.NextDouble());
        int city = _picker.Pick(playedAtMs, _random);
        int rank = _catalog.SampleRank(_random);
        var eventId = NewEventId();
        long user = (long)_random.NextBounded(Users);
        var ip = kind switch
        {
            SimulatedPlayKind.AnonymizedIp => _random.Next(2) == 0 ? SimulatedIp.Null : SimulatedIp.Empty,
            SimulatedPlayKind.PrivateAddress => PrivateAddresses.Draw(_random),
            _ => _cities.DrawAddress(city, IPv6Share, _random),
        };
        bool? privateSession = kind == SimulatedPlayKind.PrivateSession ? true
            : _random.NextDouble() < PrivateSessionFieldShare ? false : null;
        var shape = kind == SimulatedPlayKind.Malformed ? (MalformedShape)(1 + _random.Next(3)) : MalformedShape.None;
        return new SimulatedPlay(
            eventId,
            _catalog.Tracks[rank],
            rank,
            user,
            ip,
            playedAtMs,
            privateSession,
            _cities.Cities[city].GeonameId,
            kind,
            shape,
            (uint)_random.NextUInt64(),
            IsRedelivery: false);
    }

    /// <summary>A random (version 4) GUID from the seeded generator, so event ids are reproducible.</summary>
    private Guid NewEventId()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, _random.NextUInt64());
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], _random.NextUInt64());
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
