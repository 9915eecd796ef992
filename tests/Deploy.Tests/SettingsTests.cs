using System.Text.Json.Nodes;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Deploy.Tests.Fixtures;
using ListeningTogether.Host.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Deploy.Tests;

/// <summary>
/// Issue 6: the settings the manifests give are keys the application reads, and the application accepts their
/// values: each streaming stage's host is built from exactly its container's settings, which validates every
/// section it binds, as at start.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class SettingsTests(DeployFixture deploy)
{
    private static readonly SettingKeys Keys = SettingKeys.OfTheApplication();

    public static TheoryData<string> Kustomizations => [DeployFixture.Base, .. DeployFixture.Overlays];

    public static TheoryData<string, string> StreamingStages
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (string overlay in DeployFixture.Overlays)
            {
                foreach (string workload in new[] { "lt-site", "lt-ingest", "lt-match" })
                {
                    data.Add(overlay, workload);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void GivenAKustomization_WhenRendered_ThenEverySettingOfEveryStageIsReadByAnOptionsClass(string kustomization)
    {
        Manifests manifests = deploy[kustomization];
        var problems = new List<string>();
        foreach ((PodTemplate pod, JsonObject container) in manifests.AppContainers)
        {
            foreach (EnvironmentVariable variable in ContainerEnvironment.Of(manifests, container))
            {
                if (ContainerEnvironment.SettingKey(variable.Name) is { } key && Keys.Problem(key) is { } problem)
                {
                    problems.Add($"{pod.Id} ({variable.Origin}): {problem}");
                }
            }
        }

        Problems.AssertNone(problems);
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void GivenAKustomization_WhenRendered_ThenItsSettingsConfigMapsHoldOnlySettings(string kustomization)
    {
        Manifests manifests = deploy[kustomization];
        var settingsMaps = manifests.OfKind("ConfigMap").Where(c => c.Text("metadata", "name")!.Contains("-settings-", StringComparison.Ordinal)).ToList();

        Assert.Equal(5, settingsMaps.Count);
        Assert.All(settingsMaps, map => Assert.All(map.Map("data").Keys, key => Assert.StartsWith(ContainerEnvironment.SettingPrefix, key, StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(StreamingStages))]
    public void GivenAStreamingStageOfAnOverlay_WhenItsHostIsBuiltFromItsContainerSettings_ThenEverySettingValidates(string overlay, string workload)
    {
        Manifests manifests = deploy[overlay];
        PodTemplate pod = manifests.PodTemplates.Single(p => p.Name == workload);
        using StageSettings settings = StageSettings.Of(manifests, pod.Spec.Objects("containers").Single());

        using IHost host = StageHost.Build(settings);

        // What the host runs first when it starts: options registered with ValidateOnStart.
        host.Services.GetService<IStartupValidator>()?.Validate();
        Assert.Equal(("http://+:8080", "http://+:9090"), (settings.AsDeployed["Urls"], settings.AsDeployed["Management:Urls"]));
    }

    [Theory]
    [MemberData(nameof(StreamingStages))]
    public void GivenAStreamingStageOfAnOverlay_WhenItsHostedServicesAreCreated_ThenTheStageAndItsTransportCompose(string overlay, string workload)
    {
        Manifests manifests = deploy[overlay];
        PodTemplate pod = manifests.PodTemplates.Single(p => p.Name == workload);
        using StageSettings settings = StageSettings.Of(manifests, pod.Spec.Objects("containers").Single());
        using IHost host = StageHost.Build(settings);

        // What starting does before running anything: create every hosted service (the stage with the transport's
        // clients, the hub). Nothing connects yet.
        List<IHostedService> services = [.. host.Services.GetServices<IHostedService>()];

        // Each stage's loop runs in the one hosting shell, StageService<TStage>.
        Assert.Contains(services, s => s.GetType() is { IsGenericType: true } shell && shell.Name.StartsWith("StageService", StringComparison.Ordinal)
            && shell.GetGenericArguments()[0].Name == StageTypeName(settings));
    }

    [Theory]
    [MemberData(nameof(StreamingStages))]
    public void GivenAStreamingStageOfAnOverlay_WhenItsHostedServicesAreCreated_ThenOnlyTheIngestStageArchivesAndItArchivesIntoTheArchiveVolume(string overlay, string workload)
    {
        Manifests manifests = deploy[overlay];
        PodTemplate pod = manifests.PodTemplates.Single(p => p.Name == workload);
        using StageSettings settings = StageSettings.Of(manifests, pod.Spec.Objects("containers").Single());
        using IHost host = StageHost.Build(settings);

        bool archives = host.Services.GetServices<IHostedService>().Any(s => s.GetType().Name == "PlayArchiveService");

        Assert.Equal(workload == "lt-ingest", archives);
        if (archives)
        {
            Assert.Equal("/data/archive", settings.AsDeployed["Archive:ParquetDir"]);
        }
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void GivenTheReplayJob_WhenItsSettingsAreBoundAsTheReplayVerbBindsThem_ThenTheyValidateAndOpenTheCityDatabase(string kustomization)
    {
        Manifests manifests = deploy[kustomization];
        using StageSettings settings = StageSettings.Of(manifests, manifests.Pod("Job", "lt-replay").Spec.Objects("containers").Single());
        IConfigurationRoot configuration = settings.Configuration();

        var pipeline = ValidatedOptions.Bind<PipelineOptions>(configuration, PipelineOptions.Section);
        var geo = ValidatedOptions.Bind<GeoOptions>(configuration, GeoOptions.Section);
        ValidatedOptions.Bind<DeadLetterOptions>(configuration, DeadLetterOptions.Section);
        using GeoDatabases databases = GeoDatabases.Open(geo);

        Assert.Equal(RepositoryFiles.CityTestDb, geo.CityDb);
        Assert.Equal(1000, pipeline.WindowMs);
        Assert.Contains("dotnet /app/lt.dll replay --input", settings.Args.Single(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void GivenTheMergeJob_WhenRendered_ThenItTakesNoSettingsButTheDay(string kustomization)
    {
        Manifests manifests = deploy[kustomization];
        JsonObject container = manifests.Pod("Job", "lt-merge").Spec.Objects("containers").Single();

        Assert.Equal(["REPLAY_DAY"], ContainerEnvironment.Of(manifests, container).Select(v => v.Name));
        Assert.Contains("dotnet /app/lt.dll merge --input", container.Texts("args").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void GivenAKustomization_WhenRendered_ThenEveryFileSettingPointsIntoAVolumeMountedForItsUse(string kustomization)
    {
        Manifests manifests = deploy[kustomization];
        var problems = new List<string>();
        int checkedPaths = 0;
        foreach ((PodTemplate pod, JsonObject container) in manifests.AppContainers)
        {
            using StageSettings settings = StageSettings.Of(manifests, container);
            List<JsonObject> mounts = [.. container.Objects("volumeMounts")];
            foreach ((string key, string value) in settings.AsDeployed)
            {
                if (!StageSettings.FileSettings.TryGetValue(key, out bool written))
                {
                    if (value.StartsWith('/'))
                    {
                        problems.Add($"{pod.Id}: {key}={value} looks like a path but is not a known file setting");
                    }

                    continue;
                }

                if (value.Length == 0)
                {
                    continue;
                }

                checkedPaths++;
                JsonObject? mount = mounts
                    .Where(m => IsInside(value, m.Text("mountPath")!))
                    .MaxBy(m => m.Text("mountPath")!.Length);
                if (mount is null)
                {
                    problems.Add($"{pod.Id}: {key}={value} is on the read-only root file system, in no volume");
                }
                else if (written && mount.Text("readOnly") == "true")
                {
                    problems.Add($"{pod.Id}: {key}={value} is written, but {mount.Text("mountPath")} is mounted read-only");
                }
            }
        }

        Problems.AssertNone(problems);
        // Ingest: the City database, the archive and the dead letters; replay: the City database; the site: the replay outputs.
        Assert.Equal(5, checkedPaths);
    }

    /// <summary>The hosted service that runs the stage a container's arguments choose.</summary>
    private static string StageTypeName(StageSettings settings) => settings.Args[^1] switch
    {
        "site" => "SiteStage",
        "ingest" => "IngestStage",
        _ => "StreamingPipeline",
    };

    private static bool IsInside(string path, string folder) =>
        path == folder || path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);
}
