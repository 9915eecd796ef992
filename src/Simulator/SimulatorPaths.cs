namespace ListeningTogether.Simulator;

/// <summary>Where the simulator's data files are when no path is configured.</summary>
public static class SimulatorPaths
{
    private const string SolutionFile = "ListeningTogether.sln";

    /// <summary>
    /// The GeoNames city list: <paramref name="configured"/> if set, else <c>data/cities.pbf</c> of the repository
    /// (found by walking up from the application's directory to ListeningTogether.sln), else of the current directory.
    /// </summary>
    public static string CitiesPath(string? configured) =>
        string.IsNullOrWhiteSpace(configured) ? DataFile("cities.pbf") : configured;

    /// <summary>A file of the repository's <c>data/</c> folder (where scripts/setup.sh puts the databases).</summary>
    public static string DataFile(string name) =>
        Path.Combine(RepositoryRoot() ?? Directory.GetCurrentDirectory(), "data", name);

    /// <summary>The nearest folder holding ListeningTogether.sln at or above the application's directory, or null.</summary>
    public static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
