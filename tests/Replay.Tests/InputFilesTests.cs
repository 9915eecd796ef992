using ListeningTogether.Replay.Input;

namespace ListeningTogether.Replay.Tests;

/// <summary>Replay inputs: files, folders searched recursively for *.jsonl (skipping _ and . names), and globs.</summary>
public sealed class InputFilesTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public InputFilesTests()
    {
        foreach (string file in new[]
        {
            "day/b.jsonl", "day/a.jsonl", "day/hour=01/c.jsonl", "day/hour=01/deeper/d.JSONL",
            "day/_SUCCESS.jsonl", "day/.part.jsonl", "day/_tmp/e.jsonl", "day/.staging/f.jsonl",
            "day/notes.txt", "day/g.jsonl.bak",
        })
        {
            _temp.Write(file, "{}\n");
        }
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void GivenAFolder_WhenExpanded_ThenItsPlayFilesAtAnyDepthAreListedInOrdinalOrderWithoutHiddenOrUnderscoredOnes()
    {
        IReadOnlyList<string> files = InputFiles.Expand([_temp.Combine("day")]);

        Assert.Equal(
            [
                _temp.Combine("day", "a.jsonl"),
                _temp.Combine("day", "b.jsonl"),
                _temp.Combine("day", "hour=01", "c.jsonl"),
                _temp.Combine("day", "hour=01", "deeper", "d.JSONL"),
            ],
            files);
    }

    [Fact]
    public void GivenAnUnderscoredFileNamedExplicitly_WhenExpanded_ThenItIsRead()
    {
        string file = _temp.Combine("day", "_SUCCESS.jsonl");

        Assert.Equal([file], InputFiles.Expand([file]));
    }

    [Fact]
    public void GivenAGlob_WhenExpanded_ThenTheMatchingFilesAreListed()
    {
        IReadOnlyList<string> files = InputFiles.Expand([_temp.Combine("day", "hour=01", "*.jsonl")]);

        Assert.Equal([_temp.Combine("day", "hour=01", "c.jsonl")], files);
    }

    [Fact]
    public void GivenARecursiveGlob_WhenExpanded_ThenMatchesAtAnyDepthAreListedInOrdinalOrder()
    {
        IReadOnlyList<string> files = InputFiles.Expand([_temp.Combine("day", "hour=01", "**", "*.JSONL")]);

        Assert.Equal([_temp.Combine("day", "hour=01", "deeper", "d.JSONL")], files);
    }

    [Fact]
    public void GivenAFileAndTheFolderHoldingIt_WhenExpanded_ThenTheFileIsListedOnce()
    {
        string a = _temp.Combine("day", "a.jsonl");

        IReadOnlyList<string> files = InputFiles.Expand([a, _temp.Combine("day")]);

        Assert.Single(files, a);
        Assert.Equal(4, files.Count);
    }

    [Fact]
    public void GivenARelativePath_WhenExpanded_ThenItIsListedAsAFullPath()
    {
        string relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), _temp.Combine("day", "a.jsonl"));

        Assert.Equal([_temp.Combine("day", "a.jsonl")], InputFiles.Expand([relative]));
    }

    [Fact]
    public void GivenAMissingFile_WhenExpanded_ThenFileNotFoundNamesIt()
    {
        string missing = _temp.Combine("day", "missing.jsonl");

        var e = Assert.Throws<FileNotFoundException>(() => InputFiles.Expand([_temp.Combine("day", "a.jsonl"), missing]));

        Assert.Equal($"Input '{missing}' does not exist.", e.Message);
        Assert.Equal(missing, e.FileName);
    }

    [Fact]
    public void GivenAGlobUnderAMissingFolder_WhenExpanded_ThenFileNotFoundNamesThePattern()
    {
        string pattern = _temp.Combine("nowhere", "*.jsonl");

        var e = Assert.Throws<FileNotFoundException>(() => InputFiles.Expand([pattern]));

        Assert.Equal($"No play files match '{pattern}'.", e.Message);
    }
}
