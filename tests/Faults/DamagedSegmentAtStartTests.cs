using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ListeningTogether.Abstractions;
using ListeningTogether.EndToEnd.Fixtures;
using ListeningTogether.Faults.Tests.Fixtures;
using ListeningTogether.Replay.Archive;

namespace ListeningTogether.Faults.Tests;

/// <summary>
/// Fault matrix, "a corrupt or truncated write-ahead segment at start": <c>lt run --Archive:ParquetDir</c> starts on
/// segments an earlier run left, one with a byte flipped in its middle block and one cut short in its last block.
/// It becomes ready, moves the damaged segment aside naming it in one log line, and every readable play of every
/// segment is in the archive that <c>lt replay</c> reads.
/// </summary>
public sealed partial class DamagedSegmentAtStartTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task GivenADamagedAndATruncatedLeftoverSegment_WhenRunStarts_ThenItIsReadyTheDamagedOneIsMovedAsideAndNamedOnceAndEveryReadablePlayIsArchived()
    {
        Lt.RequireRealCityDb();
        using var temp = new TempDirectory();
        string archive = temp.Combine("archive");
        long playedAtMs = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds();
        DateTimeOffset openedAt = DateTimeOffset.UtcNow.AddMinutes(-5);

        // Three flushes of which the middle one is damaged: the first and last stay readable.
        (string damaged, long[] damagedBlocks) = WriteSegment(archive, openedAt, playedAtMs, "damaged", 100, 50, 100);
        FlipByte(damaged, damagedBlocks[1] + ((damagedBlocks[2] - damagedBlocks[1]) / 2));

        // A crash in the middle of its second flush: the first stays readable.
        (string truncated, _) = WriteSegment(archive, openedAt.AddSeconds(1), playedAtMs, "truncated", 80, 40);
        CutBy(truncated, 5);

        (string intact, _) = WriteSegment(archive, openedAt.AddSeconds(2), playedAtMs, "intact", 60);
        const long Readable = 100 + 100 + 80 + 60;

        int port = FreePorts.Next();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using LtProcess run = Lt.Start(["run", $"--Urls=http://127.0.0.1:{port}", $"--Archive:ParquetDir={archive}", "--Simulator:Enabled=false"]);
        await Eventually.HoldsAsync(async () => (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz"))).StatusCode == HttpStatusCode.OK, Patience, "/readyz to answer 200", run);
        string segments = Path.Combine(archive, "_segments");
        await Eventually.HoldsAsync(() => Task.FromResult(Directory.GetFiles(segments, "*.seg").Length == 0), Patience, "the leftover segments to be handled", run);

        await run.InterruptAsync();
        LtResult stopped = await run.WaitAsync(Patience);
        Assert.True(stopped.ExitCode == 0, stopped.ToString());

        string damagedName = Path.GetFileName(damaged);
        string line = Assert.Single(Lines(stopped.Stdout, Path.GetFileNameWithoutExtension(damaged)));
        Assert.Contains($"Archive: segment {damagedName} is damaged", line, StringComparison.Ordinal);
        Assert.Contains("200 plays converted", line, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(segments, "_damaged", damagedName)), $"{damagedName} was not moved aside");
        Assert.Equal([damagedName], Directory.GetFiles(Path.Combine(segments, "_damaged")).Select(Path.GetFileName));
        Assert.False(File.Exists(truncated), "the truncated segment was left");
        Assert.False(File.Exists(intact), "the intact segment was left");
        Assert.Contains(Lines(stopped.Stdout, Path.GetFileNameWithoutExtension(truncated)), l => l.Contains("interrupted flush", StringComparison.Ordinal));

        Match archived = ArchiveStoppedLine().Match(stopped.Stdout);
        Assert.True(archived.Success, stopped.Stdout);
        long appended = long.Parse(archived.Groups["appended"].Value, CultureInfo.InvariantCulture);
        string output = temp.Combine("replayed");
        LtResult replay = await Lt.RunAsync(["replay", "--input", archive, "--output", output]);
        Assert.True(replay.ExitCode == 0, replay.ToString());
        using JsonDocument summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "summary.json")));
        Assert.Equal(Readable + appended, summary.RootElement.GetProperty("inputRecords").GetInt64());
    }

    [GeneratedRegex(@"Archive: stopped with (?<durable>\d+) of the (?<appended>\d+) plays appended by this run on disk")]
    private static partial Regex ArchiveStoppedLine();

    /// <summary>Writes a segment with the archive's own writer, one flush (one block) per count, as a run that crashed leaves it.</summary>
    private static (string Path, long[] BlockStarts) WriteSegment(string archive, DateTimeOffset openedAt, long playedAtMs, string prefix, params int[] flushes)
    {
        using ArchiveSegmentWriter writer = ArchiveSegmentWriter.Create(archive, openedAt);
        var starts = new List<long>();
        int n = 0;
        foreach (int plays in flushes)
        {
            starts.Add(writer.Length);
            var batch = new ArchiveBatch();
            for (int i = 0; i < plays; i++, n++)
            {
                batch.Add(new ArchivedPlay(
                    Encoding.UTF8.GetBytes($"{prefix}-{n}"),
                    Encoding.UTF8.GetBytes("spotify:track:" + (n % 7)),
                    "81.2.69.142"u8.ToArray(),
                    playedAtMs + n,
                    privateSession: false,
                    receivedAtMs: playedAtMs + n));
            }

            writer.Write(batch);
        }

        return (writer.Path, [.. starts]);
    }

    private static void FlipByte(string path, long offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        int b = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)~b);
    }

    private static void CutBy(string path, int bytes)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.SetLength(file.Length - bytes);
    }

    private static string[] Lines(string log, string naming) =>
        [.. log.Split('\n').Where(l => l.Contains(naming, StringComparison.Ordinal))];
}
