namespace ListeningTogether.Replay.Input;

/// <summary>An input file that exists but cannot be read as a play file (say a corrupt or non-Parquet <c>.parquet</c>); the message names it.</summary>
public sealed class InputFileException : IOException
{
    public InputFileException()
    {
    }

    public InputFileException(string message)
        : base(message)
    {
    }

    public InputFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InputFileException(string path, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        FilePath = path;
    }

    /// <summary>The file that could not be read.</summary>
    public string? FilePath { get; }
}
