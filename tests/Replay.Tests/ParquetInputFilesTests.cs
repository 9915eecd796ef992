using ListeningTogether.Replay.Input;

namespace ListeningTogether.Replay.Tests;

/// <summary>Replay inputs pick Parquet play files (*.parquet) in folders and globs beside JSONL ones.</summary>
public sealed class ParquetInputFilesTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public ParquetInputFilesTests()
    {
        foreach (string file in new[]
        {
            "day/hour=00/part-0.parquet", "day/hour=00/part-1.PARQUET", "day/hour=01/a.jsonl", "day/_tmp/x.parquet",
            "day/.staging/y.parquet", "day/hour=01/z.parquet.crc",
        })
        {
            _temp.Write(file, "PAR1");
        }
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void GivenAFolderOfParquetAndJsonlFiles_WhenExpanded_ThenBothKindsAreListedInOrdinalOrderWithoutHiddenOnes()
    {
        Assert.Equal(
            [
                _temp.Combine("day", "hour=00", "part-0.parquet"),
                _temp.Combine("day", "hour=00", "part-1.PARQUET"),
                _temp.Combine("day", "hour=01", "a.jsonl"),
            ],
            InputFiles.Expand([_temp.Combine("day")]));
    }

    [Fact]
    public void GivenARecursiveGlob_WhenExpanded_ThenMatchingParquetFilesAreListed()
    {
        Assert.Equal(
            [_temp.Combine("day", "hour=00", "part-0.parquet")],
            InputFiles.Expand([_temp.Combine("day", "**", "*-0.parquet")]));
    }

    [Theory]
    [InlineData("a.parquet", true)]
    [InlineData("A.PARQUET", true)]
    [InlineData("a.jsonl", false)]
    [InlineData("a.parquet.crc", false)]
    public void GivenAPath_WhenAskedIfParquet_ThenItIsByTheExtension(string path, bool expected) =>
        Assert.Equal(expected, InputFiles.IsParquet(path));
}
