using System.Text;
using System.Text.Json;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Sinks;

namespace ListeningTogether.Replay.Tests;

/// <summary>The dead-letter store as JSONL: {reason, receivedAt, source, payload}, payload cut at 4 KiB.</summary>
public sealed class DeadLetterJsonlWriterTests : IDisposable
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 26, 14, 3, 22, 431, TimeSpan.FromHours(1));

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [Fact]
    public void GivenADeadLetter_WhenWritten_ThenItIsOneLineWithReasonUtcTimeSourceAndPayloadInThatOrder()
    {
        string path = _temp.Combine("dl", "dead-letters.jsonl");

        using (var writer = new DeadLetterJsonlWriter(path))
        {
            writer.Write(new DeadLetter(IneligibleReason.IpInvalid, ReceivedAt, "plays.jsonl@42", Encoding.UTF8.GetBytes("{\"ip\":\"1.2.3\",\"city\":\"Linköping\"}")));
        }

        Assert.Equal(
            "{\"reason\":\"ip_invalid\",\"receivedAt\":\"2026-11-26T13:03:22.431Z\",\"source\":\"plays.jsonl@42\",\"payload\":\"{\\\"ip\\\":\\\"1.2.3\\\",\\\"city\\\":\\\"Linköping\\\"}\"}\n",
            File.ReadAllText(path, Encoding.UTF8));
    }

    [Fact]
    public void GivenAPayloadOver4KiB_WhenWritten_ThenOnlyItsFirst4096BytesAreKept()
    {
        string path = _temp.Combine("dead-letters.jsonl");
        string payload = new string('a', 4000) + new string('b', 200);

        using (var writer = new DeadLetterJsonlWriter(path))
        {
            writer.Write(new DeadLetter(IneligibleReason.Malformed, ReceivedAt, "s", Encoding.UTF8.GetBytes(payload)));
        }

        using var entry = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(payload[..4096], entry.RootElement.GetProperty("payload").GetString());
    }

    [Fact]
    public void GivenACutThroughAMultiByteCharacter_WhenWritten_ThenThePartialCharacterBecomesAReplacementCharacter()
    {
        string path = _temp.Combine("dead-letters.jsonl");

        using (var writer = new DeadLetterJsonlWriter(path))
        {
            writer.Write(new DeadLetter(IneligibleReason.Malformed, ReceivedAt, "s", Encoding.UTF8.GetBytes(new string('a', 4095) + "é")));
        }

        using var entry = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(new string('a', 4095) + "\uFFFD", entry.RootElement.GetProperty("payload").GetString());
    }

    [Theory]
    [InlineData(IneligibleReason.Malformed, "malformed")]
    [InlineData(IneligibleReason.InvalidEventId, "invalid_event_id")]
    [InlineData(IneligibleReason.InvalidTrackId, "invalid_track_id")]
    [InlineData(IneligibleReason.InvalidPlayedAt, "invalid_played_at")]
    [InlineData(IneligibleReason.IpInvalid, "ip_invalid")]
    public void GivenEachDeadLetteredReason_WhenWritten_ThenItsDesignCodeIsTheReason(IneligibleReason reason, string code)
    {
        string path = _temp.Combine("dead-letters.jsonl");

        using (var writer = new DeadLetterJsonlWriter(path))
        {
            writer.Write(new DeadLetter(reason, ReceivedAt, "s", "x"u8.ToArray()));
        }

        using var entry = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(code, entry.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public void GivenAnExistingFile_WhenReopenedAndWritten_ThenEntriesAreAppended()
    {
        string path = _temp.Combine("dead-letters.jsonl");
        using (var first = new DeadLetterJsonlWriter(path))
        {
            first.Write(new DeadLetter(IneligibleReason.Malformed, ReceivedAt, "s", "one"u8.ToArray()));
        }

        using (var second = new DeadLetterJsonlWriter(path))
        {
            second.Write(new DeadLetter(IneligibleReason.Malformed, ReceivedAt, "s", "two"u8.ToArray()));
        }

        Assert.Equal(["one", "two"], File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("payload").GetString()));
    }

    [Fact]
    public void GivenAnEntryWritten_WhenTheFileIsReadWhileTheWriterIsOpen_ThenTheEntryIsAWholeLine()
    {
        // What a crash would leave: an entry without its line end, and the next run's first entry glued onto it.
        string path = _temp.Combine("dead-letters.jsonl");
        using var writer = new DeadLetterJsonlWriter(path);

        writer.Write(new DeadLetter(IneligibleReason.Malformed, ReceivedAt, "s", "one"u8.ToArray()));

        string text = ReadShared(path);
        Assert.Equal("{\"reason\":\"malformed\",\"receivedAt\":\"2026-11-26T13:03:22.431Z\",\"source\":\"s\",\"payload\":\"one\"}\n", text);
    }

    [Fact]
    public void GivenManyThreads_WhenTheyWriteAtOnce_ThenEveryEntryIsItsOwnValidLine()
    {
        string path = _temp.Combine("dead-letters.jsonl");

        using (var writer = new DeadLetterJsonlWriter(path))
        {
            Parallel.For(0, 400, i => writer.Write(new DeadLetter(IneligibleReason.Malformed, ReceivedAt, "s", Encoding.UTF8.GetBytes("p" + i))));
        }

        string[] lines = File.ReadAllLines(path);
        Assert.Equal(
            Enumerable.Range(0, 400).Select(i => "p" + i).Order(StringComparer.Ordinal),
            lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("payload").GetString()!).Order(StringComparer.Ordinal));
    }
}
