namespace ListeningTogether.Host.Configuration;

/// <summary>Where the set-up puts its data: <c>data/</c> under the repository root (found from the executable or the current folder).</summary>
internal static class RepositoryPaths
{
    public static string DataFile(string name)
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ListeningTogether.sln")))
                {
                    return Path.Combine(dir.FullName, "data", name);
                }
            }
        }

        return Path.Combine(Directory.GetCurrentDirectory(), "data", name);
    }
}
