using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Eligibility;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Net;

namespace ListeningTogether.Replay.Archive;

/// <summary>
/// The eligibility of a row group's Parquet play rows, without JSON: the same reasons in the same order as
/// <see cref="Pipeline.Eligibility.PlayClassifier"/> gives a JSONL record, and the
/// same IP, Anonymous-IP and City steps, the City lookups of the whole row group done together, in address order. Ids are the
/// file's UTF-8 bytes; a row whose event_id, track_id or ip is not valid UTF-8 is <c>malformed</c>, as its JSONL twin
/// would be (DESIGN.md "Play event"). One per worker thread.
/// </summary>
internal sealed class ParquetPlayClassifier
{
    private readonly AddressClassifier _addresses;
    private readonly AddressOrderLookup _lookup;
    private readonly CityVerdicts _verdicts;
    private IpAddress128[] _lookups = [];
    private int[] _lookupRows = [];
    private int[] _offsets = [];

    public ParquetPlayClassifier(CityDatabase cities, AnonymousIpDatabase? anonymous, int maxAccuracyRadiusKm)
    {
        _addresses = new AddressClassifier(cities, anonymous, maxAccuracyRadiusKm);
        _lookup = new AddressOrderLookup(cities);
        _verdicts = new CityVerdicts(cities, _addresses);
    }

    /// <summary>Classifies every row of <paramref name="rows"/> into <paramref name="outcomes"/>.</summary>
    public void Classify(ParquetPlayColumns rows, ParquetRowOutcomes outcomes)
    {
        outcomes.Reset(rows.Count);
        if (_lookups.Length < rows.Count)
        {
            _lookups = new IpAddress128[rows.Count];
            _lookupRows = new int[rows.Count];
            _offsets = new int[rows.Count];
        }

        int lookups = 0;
        for (int row = 0; row < rows.Count; row++)
        {
            IneligibleReason reason = CheckBeforeCity(rows, row, outcomes, out IpAddress128 address);
            outcomes.Reasons[row] = reason;
            if (reason == IneligibleReason.None)
            {
                _lookups[lookups] = address;
                _lookupRows[lookups++] = row;
            }
        }

        _lookup.FindRecords(_lookups.AsSpan(0, lookups), _offsets);
        for (int i = 0; i < lookups; i++)
        {
            int verdict = _verdicts.Of(_offsets[i]);
            int row = _lookupRows[i];
            if (verdict >= 0)
            {
                outcomes.Places[row] = verdict;
            }
            else
            {
                outcomes.Reasons[row] = CityVerdicts.ReasonOf(verdict);
            }
        }
    }

    /// <summary>Every step up to the City database; None means the row's address is still to be looked up.</summary>
    private IneligibleReason CheckBeforeCity(ParquetPlayColumns rows, int row, ParquetRowOutcomes outcomes, out IpAddress128 address)
    {
        address = default;
        if (!rows.EventIds.IsValidUtf8(row) || !rows.TrackIds.IsValidUtf8(row) || !rows.Ips.IsValidUtf8(row))
        {
            return IneligibleReason.Malformed;
        }

        IneligibleReason ids = RecordChecks.CheckIds(!rows.EventIds.IsNull(row), rows.EventIds[row], !rows.TrackIds.IsNull(row), rows.TrackIds[row]);
        if (ids != IneligibleReason.None)
        {
            return ids;
        }

        long ticks = rows.PlayedAtTicks[row];
        long playedAtMs = TimestampTicks.ToEpochMillis(ticks);
        if (ticks == ParquetPlayColumns.NoPlayedAt || !PlayedAtParser.IsInRange(playedAtMs))
        {
            return IneligibleReason.InvalidPlayedAt;
        }

        outcomes.PlayedAtMs[row] = playedAtMs;
        ReadOnlySpan<byte> ip = rows.Ips[row];
        IneligibleReason session = RecordChecks.CheckSession(rows.PrivateSession[row] == true, !ip.IsEmpty);
        if (session != IneligibleReason.None)
        {
            return session;
        }

        // From here on the same address steps as a JSONL record.
        return _addresses.CheckAddress(ip, out address);
    }
}
