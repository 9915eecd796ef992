using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Replay.Archive;
using ListeningTogether.Simulator;

namespace ListeningTogether.Host.Cli;

/// <summary>
/// Writes simulated records to a Parquet play output the way the streaming archive keeps received messages: each
/// record is encoded as its JSON and decoded by the pipeline's decoder; one with a valid playedAt becomes a row
/// (without its user id), one without (malformed, or a bad id or time) cannot be and is counted instead.
/// </summary>
internal sealed class SimulatedPlayArchiver(IParquetPlayOutput output)
{
    private readonly PlayDecoder _decoder = new();
    private readonly byte[] _json = new byte[PlayJson.MaxLength];

    public long Written => output.Rows;

    /// <summary>Records that had no valid playedAt and were not written.</summary>
    public long NotWritten { get; private set; }

    public async ValueTask AddAsync(SimulatedPlay play, CancellationToken cancellationToken)
    {
        if (Add(play))
        {
            await output.WriteBufferedAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private bool Add(in SimulatedPlay play)
    {
        int length = PlayJson.Write(play, _json);
        _decoder.Decode(_json.AsSpan(0, length), out PlayFields fields);
        if (!fields.HasPlayedAt)
        {
            NotWritten++;
            return false;
        }

        return output.Add(new ArchivedPlay(fields.EventId, fields.TrackId, fields.Ip, fields.PlayedAtMs, fields.PrivateSession, null));
    }
}
