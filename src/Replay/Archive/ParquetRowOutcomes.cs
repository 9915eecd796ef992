using ListeningTogether.Abstractions;

namespace ListeningTogether.Replay.Archive;

/// <summary>What classifying a row group found, row by row, in buffers a worker reuses from row group to row group.</summary>
internal sealed class ParquetRowOutcomes
{
    /// <summary><see cref="PlayedAtMs"/> of a row whose played_at is missing or out of range.</summary>
    public const long NoPlayedAt = long.MinValue;

    public IneligibleReason[] Reasons { get; private set; } = [];

    /// <summary>Epoch milliseconds of played_at when present and in range, else <see cref="NoPlayedAt"/>.</summary>
    public long[] PlayedAtMs { get; private set; } = [];

    /// <summary>The City database place id (<see cref="Pipeline.Geo.CityDatabase.PlaceById"/>) of an eligible row; -1 otherwise.</summary>
    public int[] Places { get; private set; } = [];

    public void Reset(int rows)
    {
        if (Reasons.Length < rows)
        {
            Reasons = new IneligibleReason[rows];
            PlayedAtMs = new long[rows];
            Places = new int[rows];
        }

        PlayedAtMs.AsSpan(0, rows).Fill(NoPlayedAt);
        Places.AsSpan(0, rows).Fill(-1);
    }
}
