using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace ListeningTogether.Deploy.Tests.Fixtures;

/// <summary>
/// The settings a container of the app image starts with (its <c>LT__</c> environment as <c>Section:Key</c>), ready
/// to build the real host from. Secret references get a harmless stand-in, and file paths that exist only in the
/// pod (the volumes) are moved to the test's own files: MaxMind's test database, a scratch folder.
/// </summary>
public sealed class StageSettings : IDisposable
{
    /// <summary>Settings that name a file or folder, and whether the process writes there.</summary>
    public static readonly IReadOnlyDictionary<string, bool> FileSettings = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase)
    {
        ["Geo:CityDb"] = false,
        ["Geo:AnonymousIpDb"] = false,
        ["Catalog:Path"] = false,
        ["Simulator:CitiesPath"] = false,
        ["Archive:ParquetDir"] = true,
        ["DeadLetter:Path"] = true,
        ["Results:Jsonl"] = true,
        ["Results:ParquetDir"] = true,
        ["Playback:Paths:0"] = false,
    };

    /// <summary>What stands in for a Secret's value when the host is built (nothing connects while building).</summary>
    private static readonly Dictionary<string, string> SecretStandIns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Push:Redis:ConnectionString"] = "127.0.0.1:6390,abortConnect=false,password=stand-in",
    };

    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "lt-deploy-tests-" + Guid.NewGuid().ToString("N"));

    private StageSettings(Dictionary<string, string> asDeployed, IReadOnlyList<string> args)
    {
        AsDeployed = asDeployed;
        ForThisMachine = Localize(asDeployed);
        Args = args;
    }

    /// <summary>Every setting as the pod sees it (Secret references as <c>secret:NAME/KEY</c>).</summary>
    public IReadOnlyDictionary<string, string> AsDeployed { get; }

    /// <summary>The same, with stand-ins for secrets and paths on this machine.</summary>
    public IReadOnlyDictionary<string, string> ForThisMachine { get; }

    /// <summary>The container's arguments after the image's <c>dotnet lt.dll</c> (or its shell script's).</summary>
    public IReadOnlyList<string> Args { get; }

    public static StageSettings Of(Manifests manifests, JsonObject container)
    {
        var asDeployed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (EnvironmentVariable variable in ContainerEnvironment.Of(manifests, container))
        {
            if (ContainerEnvironment.SettingKey(variable.Name) is { } key)
            {
                asDeployed[key] = variable.Secret is { } secret ? $"secret:{secret}" : variable.Value!;
            }
        }

        return new StageSettings(asDeployed, [.. container.Texts("args")]);
    }

    public IConfigurationRoot Configuration() =>
        new ConfigurationBuilder().AddInMemoryCollection(ForThisMachine.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value))).Build();

    public void Dispose()
    {
        if (Directory.Exists(_scratch))
        {
            Directory.Delete(_scratch, recursive: true);
        }
    }

    private Dictionary<string, string> Localize(Dictionary<string, string> asDeployed)
    {
        var local = new Dictionary<string, string>(asDeployed, StringComparer.OrdinalIgnoreCase);
        foreach ((string key, string value) in asDeployed)
        {
            if (value.StartsWith("secret:", StringComparison.Ordinal))
            {
                local[key] = SecretStandIns.TryGetValue(key, out string? standIn)
                    ? standIn
                    : throw new InvalidOperationException($"{key} comes from a Secret and these tests have no stand-in value for it.");
            }
            else if (FileSettings.TryGetValue(key, out bool written))
            {
                local[key] = key.Equals("Geo:CityDb", StringComparison.OrdinalIgnoreCase) ? RepositoryFiles.CityTestDb
                    : key.StartsWith("Playback:Paths:", StringComparison.OrdinalIgnoreCase) ? PlaybackFolder(key, value)
                    : written ? Path.Combine(_scratch, key.Replace(':', '-'), Path.GetFileName(value))
                    : throw new InvalidOperationException($"{key} names {value}, which these tests cannot stand in for.");
            }
        }

        return local;
    }

    /// <summary>An empty folder for a replay outputs folder (the site refuses to start without it); empty stays empty.</summary>
    private string PlaybackFolder(string key, string value) =>
        value.Length == 0 ? value : Directory.CreateDirectory(Path.Combine(_scratch, key.Replace(':', '-'))).FullName;
}
