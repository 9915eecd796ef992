using System.Text;
using System.Text.Json;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Replay.Output.Sinks;
using ListeningTogether.Replay.Output.Summary;
using ListeningTogether.Replay.Tests.Fixtures;
using static ListeningTogether.Replay.Tests.Fixtures.PlayLines;

namespace ListeningTogether.Replay.Tests;

/// <summary>
/// A hand-made JSONL file on the MaxMind test City database: the file encoding rules of DESIGN.md ("Play event"),
/// what is counted and dead-lettered, and the exact output.
/// </summary>
public sealed class TinyReplayTests : IDisposable
{
    private const string Together = "spotify:track:together";
    private const string Alone = "spotify:track:alone";

    private readonly TempDirectory _temp = new();
    private readonly CityDatabase _cities = CityDatabase.Open(TestData.CityTestDb);

    public void Dispose()
    {
        _cities.Dispose();
        _temp.Dispose();
    }

    /// <summary>The tiny file's bytes, and where each dead-lettered line starts.</summary>
    private sealed record TinyFile(string Path, long NotJsonOffset, long InvalidUtf8Offset, long LongLineOffset, byte[] LongLine);

    /// <summary>
    /// BOM; London (CRLF); a whitespace-only line; Linköping; an empty line; "not json" (CRLF); Linköping again
    /// (a redelivery); a record with invalid UTF-8; a 5,000-byte malformed line; Linköping in the next second
    /// (epoch ms); a lone play with lower-case t and z and no final line end.
    /// </summary>
    private TinyFile WriteTinyFile()
    {
        var bytes = new List<byte>();
        void Add(string text) => bytes.AddRange(Encoding.UTF8.GetBytes(text));

        bytes.AddRange([0xEF, 0xBB, 0xBF]);
        Add(Play("e1", Together, LondonIp, "\"2026-11-26T14:03:22.431Z\"", userId: "u-1") + "\r\n");
        Add(" \t  \r\n");
        string linkoping = Play("e2", Together, LinkopingIp, "\"2026-11-26T14:03:22.999Z\"");
        Add(linkoping + "\n");
        Add("\n");
        long notJson = bytes.Count;
        Add("not json\r\n");
        Add(linkoping + "\n");
        long invalidUtf8 = bytes.Count;
        Add("{\"eventId\":\"e3\",\"trackId\":\"" + Together + "\",\"ip\":\"");
        bytes.AddRange([0xFF, 0xFE]);
        Add("\",\"playedAt\":\"2026-11-26T14:03:22.600Z\"}\n");
        long longLineOffset = bytes.Count;
        byte[] longLine = Encoding.UTF8.GetBytes("{\"eventId\":\"long\",\"pad\":\"" + new string('x', 5000));
        bytes.AddRange(longLine);
        Add("\n");
        Add(Play("e4", Together, LinkopingIp, "1795701803000") + "\n");
        Add(Play("e5", Alone, LondonIp, "\"2026-11-26t14:03:22.5z\""));
        string path = _temp.Write("in/tiny.jsonl", [.. bytes]);
        return new TinyFile(path, notJson, invalidUtf8, longLineOffset, longLine);
    }

    [Fact]
    public async Task GivenTheTinyFile_WhenReplayed_ThenTheOnlyCoPlayIsLondonLinkopingInItsSecond()
    {
        TinyFile tiny = WriteTinyFile();
        string output = _temp.Combine("out");

        await Replays.RunAsync([tiny.Path], output, _cities);

        Assert.Equal(
            LondonLinkopingLine("2026-11-26T14:03:22.000Z", Together, plays: 2, locations: 2),
            File.ReadAllText(Path.Combine(output, "coplays.jsonl"), Encoding.UTF8));
    }

    [Fact]
    public async Task GivenTheTinyFile_WhenReplayed_ThenBlankLinesAreNotCountedAndMalformedLinesAre()
    {
        TinyFile tiny = WriteTinyFile();

        var summary = await Replays.RunAsync([tiny.Path], _temp.Combine("out"), _cities);

        Assert.Equal(8, summary.InputRecords);
        Assert.Equal(5, summary.EligibleRecords);
        Assert.Equal(4, summary.EligiblePlays);
        Assert.Equal(1, summary.DuplicateRecords);
        Assert.Equal(1, summary.CoPlays);
        Assert.Equal(2, summary.Windows);
        Assert.Equal(3, summary.Ineligible["malformed"]);
        Assert.Equal(0, summary.Ineligible.Where(p => p.Key != "malformed").Sum(p => p.Value));
        Assert.Equal(1_795_701_802_431, summary.FirstPlayedAtMs);
        Assert.Equal(1_795_701_803_000, summary.LastPlayedAtMs);
        Assert.Equal([new InputFileSummary(tiny.Path, 8)], summary.Inputs);
    }

    [Fact]
    public async Task GivenTheTinyFile_WhenReplayed_ThenEachMalformedLineIsDeadLetteredWithReasonTimeSourceAndPayloadCutAt4KiB()
    {
        TinyFile tiny = WriteTinyFile();
        string deadLetterPath = _temp.Combine("dead", "letters.jsonl");

        using (var deadLetters = new DeadLetterJsonlWriter(deadLetterPath))
        {
            await Replays.RunAsync([tiny.Path], _temp.Combine("out"), _cities, deadLetters, workers: 1);
        }

        string[] lines = File.ReadAllText(deadLetterPath, Encoding.UTF8).Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Equal("", lines[3]);
        string receivedAt = "2026-11-27T08:00:00.000Z";
        Assert.Equal(
            [
                new DeadLetterEntry("malformed", receivedAt, $"{tiny.Path}@{tiny.NotJsonOffset}", "not json"),
                new DeadLetterEntry("malformed", receivedAt, $"{tiny.Path}@{tiny.InvalidUtf8Offset}",
                    "{\"eventId\":\"e3\",\"trackId\":\"" + Together + "\",\"ip\":\"\uFFFD\uFFFD\",\"playedAt\":\"2026-11-26T14:03:22.600Z\"}"),
                new DeadLetterEntry("malformed", receivedAt, $"{tiny.Path}@{tiny.LongLineOffset}", Encoding.UTF8.GetString(tiny.LongLine, 0, 4096)),
            ],
            lines[..3].Select(DeadLetterEntry.Parse));
    }

    [Fact]
    public async Task GivenARecordWithAUserIdThatIsDeadLettered_WhenReplayed_ThenTheDeadLetterStoreHoldsNoUserId()
    {
        // DESIGN.md "Privacy": the dead-letter store holds input data (IPs, no user ids).
        string input = _temp.Write("in/plays.jsonl",
            "{\"eventId\":\"\",\"trackId\":\"t\",\"userId\":\"u-secret-91f2\",\"ip\":\"81.2.69.142\",\"playedAt\":\"2026-11-26T14:03:22.431Z\"}\n"
            + "{\"eventId\":\"e1\",\"trackId\":\"t\",\"userId\":\"u-secret-91f2\",\"ip\":5,\"playedAt\":\"2026-11-26T14:03:22.431Z\"}\n");
        string deadLetterPath = _temp.Combine("dead", "letters.jsonl");

        using (var deadLetters = new DeadLetterJsonlWriter(deadLetterPath))
        {
            await Replays.RunAsync([input], _temp.Combine("out"), _cities, deadLetters, workers: 1);
        }

        string[] entries = File.ReadAllLines(deadLetterPath);
        Assert.Equal(["invalid_event_id", "malformed"], entries.Select(e => DeadLetterEntry.Parse(e).Reason));
        Assert.All(entries, e => Assert.DoesNotContain("u-secret-91f2", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GivenTheTinyFile_WhenReplayed_ThenEveryOutputLineIsOneObjectEndingInLineFeedWithRawNonAsciiLetters()
    {
        TinyFile tiny = WriteTinyFile();
        string output = _temp.Combine("out");

        await Replays.RunAsync([tiny.Path], output, _cities);

        byte[] bytes = File.ReadAllBytes(Path.Combine(output, "coplays.jsonl"));
        Assert.False(bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]), "no BOM");
        Assert.DoesNotContain((byte)'\r', bytes);
        Assert.Equal((byte)'\n', bytes[^1]);
        string text = Encoding.UTF8.GetString(bytes);
        Assert.Contains("\"city\":\"Linköping\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", text, StringComparison.Ordinal);
        Assert.All(text[..^1].Split('\n'), line => JsonDocument.Parse(line).Dispose());
    }

    [Fact]
    public async Task GivenAMissingInputBesideAnExistingOne_WhenReplayed_ThenFileNotFoundNamesItAndNoOutputIsWritten()
    {
        TinyFile tiny = WriteTinyFile();
        string missing = _temp.Combine("in", "missing.jsonl");
        string output = _temp.Combine("out");
        Directory.CreateDirectory(output);

        var e = await Assert.ThrowsAsync<FileNotFoundException>(() => Replays.RunAsync([tiny.Path, missing], output, _cities));

        Assert.Equal($"Input '{missing}' does not exist.", e.Message);
        Assert.Equal(missing, e.FileName);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    [Fact]
    public async Task GivenAMissingInputAndAnOutputFolderThatDoesNotExist_WhenReplayed_ThenTheOutputFolderIsNotCreated()
    {
        string missing = _temp.Combine("nowhere", "plays.jsonl");
        string output = _temp.Combine("out");

        await Assert.ThrowsAsync<FileNotFoundException>(() => Replays.RunAsync([missing], output, _cities));

        Assert.False(Directory.Exists(output), $"{output} exists");
    }

    [Fact]
    public async Task GivenAGlobMatchingNothing_WhenReplayed_ThenFileNotFoundNamesThePattern()
    {
        string pattern = _temp.Combine("in", "*.jsonl");
        Directory.CreateDirectory(_temp.Combine("in"));

        var e = await Assert.ThrowsAsync<FileNotFoundException>(() => Replays.RunAsync([pattern], _temp.Combine("out"), _cities));

        Assert.Equal($"No play files match '{pattern}'.", e.Message);
        Assert.Equal(pattern, e.FileName);
    }

    [Fact]
    public async Task GivenAnEarlierReplayInTheOutputFolder_WhenReplayedAgain_ThenItsFilesAreReplacedNotAppended()
    {
        TinyFile tiny = WriteTinyFile();
        string output = _temp.Combine("out");

        await Replays.RunAsync([tiny.Path], output, _cities);
        await Replays.RunAsync([tiny.Path], output, _cities);

        Assert.Equal(
            LondonLinkopingLine("2026-11-26T14:03:22.000Z", Together, plays: 2, locations: 2),
            File.ReadAllText(Path.Combine(output, "coplays.jsonl"), Encoding.UTF8));
        Assert.Equal(["coplays.jsonl", "coplays.parquet", "report.html", "summary.json"], Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GivenAnEmptyFile_WhenReplayed_ThenCoPlaysJsonlIsEmptyAndTheRangeIsNull()
    {
        string input = _temp.Write("in/empty.jsonl", "\n  \n");
        string output = _temp.Combine("out");

        var summary = await Replays.RunAsync([input], output, _cities);

        Assert.Equal(0, summary.InputRecords);
        Assert.Equal(0, summary.Windows);
        Assert.Null(summary.FirstPlayedAtMs);
        Assert.Equal("", File.ReadAllText(Path.Combine(output, "coplays.jsonl")));
        using var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json")));
        Assert.Equal([JsonValueKind.Null, JsonValueKind.Null], written.RootElement.GetProperty("playedAtRange").EnumerateArray().Select(e => e.ValueKind));
    }

    [Fact]
    public async Task GivenTheAnonymousIpDatabase_WhenReplayed_ThenLondonsListedAddressIsIpAnonymousAndThereIsNoCoPlay()
    {
        TinyFile tiny = WriteTinyFile();
        string output = _temp.Combine("out");
        string anonymousDb = TestData.MaxMindTest("GeoIP2-Anonymous-IP-Test.mmdb");
        using AnonymousIpDatabase anonymous = AnonymousIpDatabase.Open(anonymousDb);

        var summary = await new ReplayJob(Replays.Request([tiny.Path], output, _cities) with { AnonymousIps = anonymous }).RunAsync();

        // 81.2.69.0/24 is listed (e1 and e5); Linköping's e2 (twice) and e4 stay eligible.
        Assert.Equal(2, summary.Ineligible["ip_anonymous"]);
        Assert.Equal(3, summary.EligibleRecords);
        Assert.Equal(0, summary.CoPlays);
        Assert.Equal(anonymousDb, summary.Settings.AnonymousIpDb);
        Assert.Equal("", File.ReadAllText(Path.Combine(output, "coplays.jsonl")));
    }

    [Fact]
    public async Task GivenACancelledToken_WhenReplayed_ThenItIsCancelledAndLeavesNoFilesBehind()
    {
        TinyFile tiny = WriteTinyFile();
        string output = _temp.Combine("out");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ReplayJob(Replays.Request([tiny.Path], output, _cities)).RunAsync(cancelled.Token));

        Assert.Empty(Directory.Exists(output) ? Directory.EnumerateFileSystemEntries(output) : []);
    }

    [Fact]
    public async Task GivenATempDirectory_WhenReplayed_ThenItsSpillFilesAreGoneAfterwards()
    {
        TinyFile tiny = WriteTinyFile();
        string spill = _temp.Combine("spill");
        Directory.CreateDirectory(spill);

        await new ReplayJob(Replays.Request([tiny.Path], _temp.Combine("out"), _cities) with { TempDirectory = spill }).RunAsync();

        Assert.Empty(Directory.EnumerateFileSystemEntries(spill));
    }

    [Fact]
    public async Task GivenAProgressListener_WhenReplayed_ThenItHearsTheClassifyPhaseAndThenTheMatchPhaseToTheEnd()
    {
        TinyFile tiny = WriteTinyFile();
        var progress = new RecordingProgress();

        await new ReplayJob(Replays.Request([tiny.Path], _temp.Combine("out"), _cities) with { Progress = progress }).RunAsync();

        Assert.Equal(["classify", "match"], progress.Reports.Select(r => r.Phase).Distinct());
        ReplayProgress classified = progress.Reports.Last(r => r.Phase == "classify");
        Assert.Equal(new ReplayProgress("classify", new FileInfo(tiny.Path).Length, new FileInfo(tiny.Path).Length, 8), classified);
        ReplayProgress matched = progress.Reports[^1];
        Assert.Equal("match", matched.Phase);
        Assert.Equal(matched.Total, matched.Done);
        Assert.Equal(4, matched.Records);
    }

    private sealed class RecordingProgress : IProgress<ReplayProgress>
    {
        private readonly Lock _gate = new();

        public List<ReplayProgress> Reports { get; } = [];

        public void Report(ReplayProgress value)
        {
            lock (_gate)
            {
                Reports.Add(value);
            }
        }
    }

    private sealed record DeadLetterEntry(string Reason, string ReceivedAt, string Source, string Payload)
    {
        public static DeadLetterEntry Parse(string line)
        {
            using var doc = JsonDocument.Parse(line);
            JsonElement e = doc.RootElement;
            Assert.Equal(["reason", "receivedAt", "source", "payload"], e.EnumerateObject().Select(p => p.Name));
            return new DeadLetterEntry(
                e.GetProperty("reason").GetString()!,
                e.GetProperty("receivedAt").GetString()!,
                e.GetProperty("source").GetString()!,
                e.GetProperty("payload").GetString()!);
        }
    }
}
