namespace ListeningTogether.Replay.Tests.Fixtures;

/// <summary>The example plays' expected <c>summary.json</c> counts, against a replay's output.</summary>
public static class ExampleSummary
{
    private static readonly string[] ComparedKeys =
    [
        "inputRecords", "eligibleRecords", "eligiblePlays", "duplicateRecords", "ineligible", "coPlays", "windows", "playedAtRange",
    ];

    /// <summary>The output folder's summary has the example's counts (each of the compared keys the example has).</summary>
    public static void AssertCountsMatch(string outputDirectory)
    {
        var expected = FileAssert.ReadJson(TestData.Example("summary.json"));
        FileAssert.SameKeys(expected, FileAssert.ReadJson(Path.Combine(outputDirectory, "summary.json")), [.. ComparedKeys.Where(expected.ContainsKey)]);
    }
}
