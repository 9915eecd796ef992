using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Replay.Output.Summary;
using Microsoft.Extensions.Time.Testing;

namespace ListeningTogether.Replay.Tests.Fixtures;

/// <summary>Runs a replay with DESIGN.md's default settings and reads back what it wrote.</summary>
public static class Replays
{
    /// <summary>The fake clock's time: what dead-letter entries of a replay give as receivedAt.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    public static ReplayRequest Request(
        IReadOnlyList<string> inputs,
        string outputDirectory,
        CityDatabase cities,
        IDeadLetterSink? deadLetters = null,
        int workers = 2) =>
        new(inputs, outputDirectory, 1000, 100, 250, cities, null, deadLetters, new FakeTimeProvider(Now))
        {
            Workers = workers,
        };

    public static Task<ReplaySummary> RunAsync(
        IReadOnlyList<string> inputs,
        string outputDirectory,
        CityDatabase cities,
        IDeadLetterSink? deadLetters = null,
        int workers = 2) =>
        new ReplayJob(Request(inputs, outputDirectory, cities, deadLetters, workers)).RunAsync();
}
