using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Archive;

namespace ListeningTogether.Replay.Tests.Fixtures;

/// <summary>A write-ahead segment as a run that then crashed leaves it: never closed or converted.</summary>
/// <param name="Path">The segment file.</param>
/// <param name="BlockStarts">Where each flush's block starts (one block per flush of fewer than a mebibyte).</param>
internal sealed record CrashedSegment(string Path, long[] BlockStarts)
{
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>Writes one block per flush; play i (counting across flushes) is played at <c>firstPlayedAtMs + i</c>.</summary>
    public static CrashedSegment Write(string root, DateTimeOffset openedAt, long firstPlayedAtMs, params string[][] flushes)
    {
        using ArchiveSegmentWriter writer = ArchiveSegmentWriter.Create(root, openedAt);
        var starts = new List<long>();
        long playedAt = firstPlayedAtMs;
        foreach (string[] eventIds in flushes)
        {
            starts.Add(writer.Length);
            var batch = new ArchiveBatch();
            foreach (string eventId in eventIds)
            {
                batch.Add(new ArchivedPlay(Encoding.UTF8.GetBytes(eventId), "spotify:track:t"u8.ToArray(), "81.2.69.142"u8.ToArray(), playedAt++, false, null));
            }

            writer.Write(batch);
        }

        return new CrashedSegment(writer.Path, [.. starts]);
    }

    public void FlipByte(long offset)
    {
        using var file = new FileStream(Path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        int b = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(b ^ 0x5A));
    }

    public void CutTo(long length)
    {
        using var file = new FileStream(Path, FileMode.Open, FileAccess.Write);
        file.SetLength(length);
    }

    public void Overwrite(byte[] bytes) => File.WriteAllBytes(Path, bytes);
}
