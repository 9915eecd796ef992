namespace ListeningTogether.Pipeline.Geo;

/// <summary>A MaxMind database that cannot be used: missing, unreadable, of the wrong type or corrupt.</summary>
public sealed class GeoDatabaseException : Exception
{
    public GeoDatabaseException(string path, string problem, Exception? inner = null)
        : base($"MaxMind database '{path}' cannot be used: {problem.TrimEnd('.')}.", inner)
    {
        Path = path;
    }

    public string Path { get; }
}
