namespace ListeningTogether.Deploy.Tests.Fixtures;

/// <summary>Paths in the repository (the folder holding ListeningTogether.sln, found from the test assembly).</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> RootFolder = new(FindRoot);

    public static string Root => RootFolder.Value;

    public static string Deploy(string relative) => Path.Combine(Root, "deploy", relative);

    /// <summary>GeoIP2-City-Test.mmdb, MaxMind's small test City database.</summary>
    public static string CityTestDb => Path.Combine(Root, "tests", "data", "maxmind-test", "GeoIP2-City-Test.mmdb");

    private static string FindRoot()
    {
        string start = Path.GetDirectoryName(typeof(RepositoryFiles).Assembly.Location)!;
        for (string? directory = start; directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "ListeningTogether.sln")))
            {
                return directory;
            }
        }

        throw new InvalidOperationException($"No folder above {start} holds ListeningTogether.sln.");
    }
}
