namespace ListeningTogether.Simulator;

/// <summary>A GeoNames city list (<c>cities.pbf</c>) that cannot be read: corrupt or of another format.</summary>
public sealed class CityListException : Exception
{
    public CityListException(string path, string problem, Exception? inner = null)
        : base($"The GeoNames city list '{path}' cannot be read: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    public string Path { get; }

    public string Problem { get; }
}
