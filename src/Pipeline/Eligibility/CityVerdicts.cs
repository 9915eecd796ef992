using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Geo;

namespace ListeningTogether.Pipeline.Eligibility;

/// <summary>
/// The City steps' verdict on each City record a batch worker meets, by the record's data offset (what a lookup
/// gives): worked out once per record, then one table probe per play, where going through the record's id and a
/// verdict by id took two cache misses. A verdict is the record's place id (<see cref="CityDatabase.PlaceById"/>)
/// when it passes, or its reason. Not thread-safe: one per worker.
/// </summary>
internal sealed class CityVerdicts
{
    private readonly CityDatabase _cities;
    private readonly AddressClassifier _addresses;
    private readonly OffsetIndex _byOffset = new();

    public CityVerdicts(CityDatabase cities, AddressClassifier addresses)
    {
        _cities = cities;
        _addresses = addresses;
    }

    /// <summary>
    /// The verdict on the record at a data offset a lookup gave (<see cref="MmdbSearchTree.NotFound"/> or any negative
    /// offset: no record): the place id of a record that passes, or the reason as <c>-(reason + 2)</c> (see <see cref="ReasonOf"/>).
    /// </summary>
    public int Of(int offset)
    {
        if (offset < 0)
        {
            return Verdict(_addresses.JudgeCity(null), null);
        }

        if (!_byOffset.TryGet(offset, out int verdict))
        {
            CityGeo geo = _cities.Resolve(offset);
            verdict = Verdict(_addresses.JudgeCity(geo), geo);
            _byOffset.Add(offset, verdict);
        }

        return verdict;
    }

    /// <summary>None for a verdict that is a place id, else the reason it stands for.</summary>
    public static IneligibleReason ReasonOf(int verdict) => verdict >= 0 ? IneligibleReason.None : (IneligibleReason)(-verdict - 2);

    private static int Verdict(IneligibleReason reason, CityGeo? geo) =>
        reason == IneligibleReason.None ? geo!.Point!.PlaceId : -((int)reason + 2);
}
