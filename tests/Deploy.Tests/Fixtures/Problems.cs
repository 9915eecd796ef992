namespace ListeningTogether.Deploy.Tests.Fixtures;

/// <summary>Fails a test with every problem found, one a line, rather than the first one or a truncated list.</summary>
public static class Problems
{
    public static void AssertNone(IEnumerable<string> problems)
    {
        List<string> list = [.. problems.Distinct()];
        Assert.True(list.Count == 0, $"{list.Count} problem(s):{Environment.NewLine}{string.Join(Environment.NewLine, list)}");
    }
}
