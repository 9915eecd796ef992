namespace ListeningTogether.Replay.Spill;

/// <summary>
/// A Parquet row group held a play outside the played_at range its statistics declare, after the bucket it falls
/// in was already matched; replay then runs again without trusting statistics.
/// </summary>
internal sealed class RowGroupStatisticsException(string part)
    : Exception($"{part} holds a played_at outside the range its statistics declare")
{
}
