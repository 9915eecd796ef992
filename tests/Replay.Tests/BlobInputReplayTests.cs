using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Input;
using ListeningTogether.Replay.Output.Summary;
using ListeningTogether.Replay.Tests.Fixtures;
using ListeningTogether.Tests.Shared;

namespace ListeningTogether.Replay.Tests;

/// <summary>
/// <c>replay --input</c> with Azure Blob URLs, against a real Azurite: the example plays uploaded as JSONL and Parquet
/// blobs in the archive layout replay exactly as the same files on disk, under any prefix, with a SAS or a connection string.
/// </summary>
[Collection(AzuriteAndCityDatabaseCollection.Name)]
public sealed class BlobInputReplayTests(AzuriteServer azurite, RealCityDatabaseFixture database) : IDisposable
{
    /// <summary>The archive layout: an hour in JSONL and Parquet, another hour, and names a reader must skip.</summary>
    private static readonly (string Name, string Example)[] Layout =
    [
        ("dt=2026-11-26/hour=14/plays.jsonl", "plays.jsonl"),
        ("dt=2026-11-26/hour=14/part-0.parquet", "plays.parquet"),
        ("dt=2026-11-26/hour=15/plays-edge.jsonl", "plays-edge.jsonl"),
        ("dt=2026-11-26/hour=14/_tmp-plays.jsonl", "plays-edge.jsonl"),
        ("dt=2026-11-26/_temporary/0/part-1.parquet", "plays.parquet"),
        ("dt=2026-11-26/hour=14/.plays.jsonl.crc", "plays.jsonl"),
        ("dt=2026-11-26/hour=14/_SUCCESS", "summary.json"),
        ("dt=2026-11-26/hour=14/notes.txt", "README.md"),
    ];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<BlobContainerClient> UploadAsync(IEnumerable<(string Name, string Example)> layout)
    {
        BlobContainerClient container = await azurite.CreateContainerAsync("plays");
        foreach ((string name, string example) in layout)
        {
            await container.GetBlobClient(name).UploadAsync(TestData.Example(example));
        }

        return container;
    }

    private string WriteLocal(IEnumerable<(string Name, string Example)> layout)
    {
        foreach ((string name, string example) in layout)
        {
            _temp.Write(Path.Combine("local", name), File.ReadAllBytes(TestData.Example(example)));
        }

        return _temp.Combine("local");
    }

    private Task<ReplaySummary> ReplayAsync(IReadOnlyList<string> inputs, string output, IDeadLetterSink? deadLetters = null, string? connectionString = null) =>
        new ReplayJob(Replays.Request(inputs, output, database.Cities, deadLetters) with
        {
            BlobInputs = new BlobInputOptions { BlobConnectionString = connectionString ?? azurite.ConnectionString },
            TempDirectory = _temp.Combine("work"),
        }).RunAsync();

    private static JsonObject SummaryWithoutInputs(string output)
    {
        JsonObject summary = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "summary.json"), Encoding.UTF8))!.AsObject();
        summary.Remove("inputs");
        return summary;
    }

    private static void AssertSameOutputs(string expected, string actual)
    {
        Assert.Equal(File.ReadAllBytes(Path.Combine(expected, "coplays.jsonl")), File.ReadAllBytes(Path.Combine(actual, "coplays.jsonl")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(expected, "coplays.parquet")), File.ReadAllBytes(Path.Combine(actual, "coplays.parquet")));
        Assert.Equal(SummaryWithoutInputs(expected).ToJsonString(), SummaryWithoutInputs(actual).ToJsonString());
    }

    [Fact]
    public async Task GivenTheArchiveLayoutInAContainer_WhenReplayedFromTheContainerUrl_ThenEveryOutputEqualsTheReplayOfTheSameFilesOnDiskByteForByte()
    {
        BlobContainerClient container = await UploadAsync(Layout);
        string local = WriteLocal(Layout);

        ReplaySummary fromDisk = await ReplayAsync([local], _temp.Combine("disk"));
        ReplaySummary fromBlobs = await ReplayAsync([container.Uri.AbsoluteUri], _temp.Combine("blobs"));

        AssertSameOutputs(_temp.Combine("disk"), _temp.Combine("blobs"));
        Assert.Equal(File.ReadAllBytes(TestData.Example("expected.jsonl")), File.ReadAllBytes(_temp.Combine("blobs", "coplays.jsonl")));
        Assert.Equal(
            [
                $"{container.Uri.AbsoluteUri}/dt=2026-11-26/hour=14/part-0.parquet",
                $"{container.Uri.AbsoluteUri}/dt=2026-11-26/hour=14/plays.jsonl",
                $"{container.Uri.AbsoluteUri}/dt=2026-11-26/hour=15/plays-edge.jsonl",
            ],
            fromBlobs.Inputs.Select(i => i.Path));
        Assert.Equal(fromDisk.Inputs.Select(i => i.Records), fromBlobs.Inputs.Select(i => i.Records));
        Assert.Equal(3000 + 3000 + 3052 - CountBlankLines("plays-edge.jsonl"), fromBlobs.InputRecords);
    }

    [Fact]
    public async Task GivenAPrefix_WhenReplayed_ThenOnlyTheBlobsBelowItAreReadAndAPrefixIsAFolderNotAStartOfAName()
    {
        BlobContainerClient container = await UploadAsync(
        [
            ("dt=2026-11-26/hour=14/plays.jsonl", "plays.jsonl"),
            ("dt=2026-11-26/hour=1/plays.jsonl", "plays-edge.jsonl"),
            ("dt=2026-11-26/hour=15/plays.parquet", "plays.parquet"),
        ]);

        ReplaySummary hour14 = await ReplayAsync([$"{container.Uri.AbsoluteUri}/dt=2026-11-26/hour=14"], _temp.Combine("out14"));
        ReplaySummary hour1 = await ReplayAsync([$"{container.Uri.AbsoluteUri}/dt=2026-11-26/hour=1/"], _temp.Combine("out1"));

        Assert.Equal([$"{container.Uri.AbsoluteUri}/dt=2026-11-26/hour=14/plays.jsonl"], hour14.Inputs.Select(i => i.Path));
        Assert.Equal([$"{container.Uri.AbsoluteUri}/dt=2026-11-26/hour=1/plays.jsonl"], hour1.Inputs.Select(i => i.Path));
        Assert.Equal(File.ReadAllBytes(TestData.Example("expected.jsonl")), File.ReadAllBytes(_temp.Combine("out14", "coplays.jsonl")));
    }

    [Fact]
    public async Task GivenTheUrlOfOneBlob_WhenReplayed_ThenThatBlobIsRead()
    {
        BlobContainerClient container = await UploadAsync([("dt=2026-11-26/hour=14/plays.parquet", "plays.parquet")]);

        ReplaySummary summary = await ReplayAsync([$"{container.Uri.AbsoluteUri}/dt=2026-11-26/hour=14/plays.parquet"], _temp.Combine("out"));

        Assert.Equal(3000, Assert.Single(summary.Inputs).Records);
        Assert.Equal(File.ReadAllBytes(TestData.Example("expected.jsonl")), File.ReadAllBytes(_temp.Combine("out", "coplays.jsonl")));
    }

    [Fact]
    public async Task GivenAContainerUrlWithASas_WhenReplayedWithoutAConnectionString_ThenItIsReadAndTheSasAppearsNowhere()
    {
        BlobContainerClient container = await UploadAsync([("hour=14/plays.jsonl", "plays.jsonl")]);
        Uri sas = container.GenerateSasUri(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List, DateTimeOffset.UtcNow.AddHours(1));

        ReplaySummary summary = await ReplayAsync([sas.AbsoluteUri], _temp.Combine("out"), connectionString: string.Empty);

        Assert.Equal([$"{container.Uri.AbsoluteUri}/hour=14/plays.jsonl"], summary.Inputs.Select(i => i.Path));
        Assert.DoesNotContain("sig=", File.ReadAllText(_temp.Combine("out", "summary.json")), StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(TestData.Example("expected.jsonl")), File.ReadAllBytes(_temp.Combine("out", "coplays.jsonl")));
    }

    [Fact]
    public async Task GivenDirtyRecordsInABlob_WhenReplayed_ThenTheirDeadLetterEntriesNameTheBlobUrl()
    {
        BlobContainerClient container = await UploadAsync([("edge/plays-edge.jsonl", "plays-edge.jsonl")]);
        var deadLetters = new CollectingDeadLetters();

        await ReplayAsync([container.Uri.AbsoluteUri], _temp.Combine("out"), deadLetters);

        Assert.NotEmpty(deadLetters.Entries);
        Assert.All(deadLetters.Entries, d => Assert.StartsWith($"{container.Uri.AbsoluteUri}/edge/plays-edge.jsonl@", d.Source, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GivenAReplayOfBlobs_WhenItEnds_ThenTheDownloadedFilesAreGone()
    {
        BlobContainerClient container = await UploadAsync([("plays.jsonl", "plays.jsonl")]);

        await ReplayAsync([container.Uri.AbsoluteUri], _temp.Combine("out"));

        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Combine("work")));
    }

    [Fact]
    public async Task GivenAPrefixWithNoPlayFiles_WhenReplayed_ThenTheErrorNamesTheUrlAndNoResultIsWritten()
    {
        BlobContainerClient container = await UploadAsync([("hour=14/_SUCCESS", "summary.json"), ("hour=14/_tmp.jsonl", "plays.jsonl")]);
        string url = $"{container.Uri.AbsoluteUri}/hour=14";

        var e = await Assert.ThrowsAsync<FileNotFoundException>(() => ReplayAsync([url], _temp.Combine("out")));

        Assert.Equal($"No play files (.jsonl, .parquet) under '{url}'.", e.Message);
        Assert.False(File.Exists(_temp.Combine("out", "coplays.jsonl")));
    }

    [Fact]
    public async Task GivenAMissingContainer_WhenReplayed_ThenTheErrorNamesTheUrlAndTheServicesAnswer()
    {
        string url = $"{azurite.BlobEndpoint}/no-such-container/dt=2026-11-26";

        var e = await Assert.ThrowsAsync<InputFileException>(() => ReplayAsync([url], _temp.Combine("out")));

        Assert.Equal($"Cannot list '{url}': HTTP 404 ContainerNotFound.", e.Message);
        Assert.Equal(url, e.FilePath);
    }

    [Fact]
    public async Task GivenAUrlOfAnotherAccount_WhenReplayedWithAConnectionString_ThenTheErrorSaysTheAccountsDifferWithoutTheKey()
    {
        const string url = "http://127.0.0.1:1/otheraccount/plays";

        var e = await Assert.ThrowsAsync<InputFileException>(() => ReplayAsync([url], _temp.Combine("out")));

        Assert.Equal($"Input '{url}' is not in the storage account of Replay:BlobConnectionString ({azurite.BlobEndpoint.AbsoluteUri.TrimEnd('/')}).", e.Message);
        Assert.DoesNotContain("AccountKey", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenAPlainHttpUrlWithoutAKeyOrSas_WhenReplayed_ThenTheErrorAsksForOneInsteadOfSendingATokenOverHttp()
    {
        string url = $"{azurite.BlobEndpoint}/plays";

        var e = await Assert.ThrowsAsync<InputFileException>(() => ReplayAsync([url], _temp.Combine("out"), connectionString: string.Empty));

        Assert.Equal($"Input '{url}' is plain http: give Replay:BlobConnectionString or a SAS in the URL.", e.Message);
    }

    [Fact]
    public void GivenInputs_WhenClassified_ThenOnlyHttpAndHttpsUrlsAreBlobInputs()
    {
        Assert.True(BlobInputs.IsBlobUrl("https://example.blob.core.windows.net/plays"));
        Assert.True(BlobInputs.IsBlobUrl("HTTP://127.0.0.1:10000/devstoreaccount1/plays"));
        Assert.False(BlobInputs.IsBlobUrl("/data/plays"));
        Assert.False(BlobInputs.IsBlobUrl("plays/*.jsonl"));
    }

    private static int CountBlankLines(string example) =>
        File.ReadAllLines(TestData.Example(example)).Count(l => string.IsNullOrWhiteSpace(l));

    private sealed class CollectingDeadLetters : IDeadLetterSink
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<DeadLetter> _entries = new();

        public IReadOnlyList<DeadLetter> Entries => [.. _entries];

        public void Write(DeadLetter deadLetter) => _entries.Enqueue(deadLetter);
    }
}
