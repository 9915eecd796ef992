using System.Buffers.Binary;
using ListeningTogether.Replay.Archive;
using ListeningTogether.Replay.Input;
using ListeningTogether.Replay.Output.Summary;
using ListeningTogether.Replay.Tests.Fixtures;
using ListeningTogether.Tests.Shared.Fuzz;

namespace ListeningTogether.Replay.Tests.Fuzz;

/// <summary>
/// Parquet play files with bit flips, splices and truncations, aimed at the footer or at the pages: reading is
/// either rows or an <see cref="InputFileException"/> naming the file; a replay that reads such a file accounts
/// for every row the file declares (input records = eligible + ineligible + outside the range).
/// </summary>
[Collection(RealCityDatabaseCollection.Name)]
public sealed class ParquetPlayFileFuzzTests(RealCityDatabaseFixture database) : IDisposable
{
    private static readonly string[] Encodings = ["millis-utc", "micros-utc", "nanos-local", "int96"];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task GivenMutatedParquetPlayFiles_WhenEveryRowGroupIsRead_ThenEachIsReadOrAnInputFileException()
    {
        byte[][] corpus = await ValidFilesAsync();
        string path = _temp.Combine("fuzzed.parquet");
        var campaign = new FuzzCampaign("parquet-play-file", ciCases: 600) { MaxAllocatedBytes = 32L << 20 };

        campaign.Run(
            random => Mutate(random, corpus),
            input =>
            {
                File.WriteAllBytes(path, input);
                using ParquetPlayFile file = ParquetPlayFile.Open(path);
                var columns = new ParquetPlayColumns();
                for (int g = 0; g < file.RowGroupRows.Count; g++)
                {
                    file.PlayedAtRange(g);
                    file.ReadRowGroup(g, columns);
                    Assert.Equal(file.RowGroupRows[g], columns.Count);
                }
            },
            e => e is InputFileException);
    }

    [Fact]
    public async Task GivenMutatedParquetPlayFiles_WhenReplayed_ThenEveryDeclaredRowIsCountedOnce()
    {
        byte[][] corpus = await ValidFilesAsync();
        string path = _temp.Combine("replayed.parquet");
        var campaign = new FuzzCampaign("parquet-replay", ciCases: 40) { MaxAllocatedBytes = null, TimeLimit = TimeSpan.FromSeconds(60) };

        campaign.Run(
            random => Mutate(random, corpus),
            input =>
            {
                File.WriteAllBytes(path, input);
                string output = _temp.Combine("out-" + Guid.NewGuid().ToString("N"));
                ReplaySummary summary = Replays.RunAsync([path], output, database.Cities, workers: 1).GetAwaiter().GetResult();
                Directory.Delete(output, recursive: true);
                long declared;
                using (ParquetPlayFile file = ParquetPlayFile.Open(path))
                {
                    declared = file.RowGroupRows.Sum();
                }

                Assert.Equal(declared, summary.InputRecords);
                Assert.Equal(summary.InputRecords, summary.EligibleRecords + summary.Ineligible.Values.Sum() + summary.OutsideRange);
                Assert.Equal(summary.EligibleRecords, summary.EligiblePlays + summary.DuplicateRecords);
            },
            e => e is InputFileException);
    }

    /// <summary>A mutation of the footer (the file metadata and its length) or of the pages before it.</summary>
    private static byte[] Mutate(Random random, byte[][] corpus)
    {
        byte[] file = corpus[random.Next(corpus.Length)];
        int footerLength = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(file.Length - 8));
        int footer = file.Length - 8 - footerLength;
        (int from, int to) = random.Next(3) == 0 ? (0, footer) : (footer, file.Length);
        int start = random.Next(from, to);
        int length = Math.Min(to - start, random.Next(1, 32));
        byte[] slice = ByteMutator.Mutate(random, file.AsSpan(start, length), corpus);
        return [.. file.AsSpan(0, start), .. slice, .. file.AsSpan(start + length)];
    }

    private async Task<byte[][]> ValidFilesAsync()
    {
        ParquetPlay[] plays = [.. ParquetPlays.Examples().Take(300)];
        var files = new List<byte[]>();
        foreach (string encoding in Encodings)
        {
            string path = await ParquetPlays.WriteAsync(_temp.Combine("valid", encoding + ".parquet"), plays, ParquetPlays.PlayedAtField(encoding), rowsPerGroup: 100);
            files.Add(await File.ReadAllBytesAsync(path));
        }

        return [.. files];
    }
}
