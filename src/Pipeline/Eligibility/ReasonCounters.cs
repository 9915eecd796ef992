using ListeningTogether.Abstractions;

namespace ListeningTogether.Pipeline.Eligibility;

/// <summary>Counts of records by outcome. Not thread-safe: one per worker, combined with <see cref="Add"/>.</summary>
internal sealed class ReasonCounters
{
    private readonly long[] _ineligible = new long[IneligibleReasons.Count];

    public long Records { get; private set; }

    public long Eligible { get; private set; }

    public long this[IneligibleReason reason] => _ineligible[(int)reason];

    public void Count(IneligibleReason reason)
    {
        Records++;
        if (reason == IneligibleReason.None)
        {
            Eligible++;
        }
        else
        {
            _ineligible[(int)reason]++;
        }
    }

    /// <summary>Moves an already counted eligible record to a streaming-only reason (future or late).</summary>
    public void Reclassify(IneligibleReason reason)
    {
        Eligible--;
        _ineligible[(int)reason]++;
    }

    public void Add(ReasonCounters other)
    {
        Records += other.Records;
        Eligible += other.Eligible;
        for (int i = 0; i < _ineligible.Length; i++)
        {
            _ineligible[i] += other._ineligible[i];
        }
    }
}
