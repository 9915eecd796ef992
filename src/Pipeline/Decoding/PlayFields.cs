namespace ListeningTogether.Pipeline.Decoding;

/// <summary>
/// The fields of one decoded play record, as UTF-8 spans into the input or the decoder's scratch buffer.
/// Valid until the decoder decodes the next record.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1051", Justification = "A ref struct of spans filled by out arguments on the hot path.")]
public ref struct PlayFields
{
    public ReadOnlySpan<byte> EventId;
    public ReadOnlySpan<byte> TrackId;

    /// <summary>The ip text; empty when absent, null or "" (see <see cref="HasIp"/>).</summary>
    public ReadOnlySpan<byte> Ip;
    public bool HasIp;
    public long PlayedAtMs;
    public bool HasPlayedAt;
    public bool PrivateSession;
}
