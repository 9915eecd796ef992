using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Input;
using ListeningTogether.Replay.Output.Results;
using ListeningTogether.Replay.Output.Summary;
using ListeningTogether.Replay.Tests.Fixtures;
using ListeningTogether.Tests.Shared.Fuzz;

namespace ListeningTogether.Replay.Tests.Fuzz;

/// <summary>
/// What merge and the site stage read back: result lines (false with a reason, never an exception) and
/// <c>summary.json</c> (an <see cref="InputFileException"/> naming the file, never another exception), mutated
/// from the shared examples.
/// </summary>
public sealed class ResultsFuzzTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void GivenMutatedResultLines_WhenParsed_ThenEachIsACoPlayOrAnErrorAndNeverAnException()
    {
        byte[][] corpus = [.. File.ReadLines(TestData.Example("expected.jsonl")).Take(200).Select(System.Text.Encoding.UTF8.GetBytes)];
        var campaign = new FuzzCampaign("coplay-jsonl", ciCases: 3000) { MaxAllocatedBytes = 256 * 1024 };

        campaign.Run(
            random => ByteMutator.Mutate(random, corpus[random.Next(corpus.Length)], corpus),
            input =>
            {
                bool parsed = CoPlayJsonlReader.TryParse(input, out CoPlay? coPlay, out string? error);
                Assert.True(parsed ? coPlay is not null : !string.IsNullOrEmpty(error), "a refusal without its reason");
            },
            _ => false);
    }

    [Fact]
    public void GivenMutatedSummaries_WhenRead_ThenEachIsASummaryOrAnInputFileExceptionNamingTheFile()
    {
        byte[] summary = File.ReadAllBytes(TestData.Example("summary.json"));
        byte[][] corpus = [summary, File.ReadAllBytes(TestData.Example("edge.json"))];
        string path = _temp.Combine("summary.json");
        var campaign = new FuzzCampaign("summary-json", ciCases: 1500) { MaxAllocatedBytes = 1L << 20 };

        campaign.Run(
            random => ByteMutator.Mutate(random, summary, corpus),
            input =>
            {
                File.WriteAllBytes(path, input);
                try
                {
                    SummaryJsonReader.Read(path);
                }
                catch (InputFileException e)
                {
                    Assert.Contains(path, e.Message, StringComparison.Ordinal);
                    throw;
                }
            },
            e => e is InputFileException);
    }
}
