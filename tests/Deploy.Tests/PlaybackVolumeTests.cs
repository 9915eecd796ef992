using System.Text.Json.Nodes;
using ListeningTogether.Deploy.Tests.Fixtures;

namespace ListeningTogether.Deploy.Tests;

/// <summary>
/// DESIGN.md "Playback": on Kubernetes the site mounts only the replay outputs, read-only, never the archive or the
/// dead letters (which hold addresses); no other long-running stage mounts the replay outputs.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class PlaybackVolumeTests(DeployFixture deploy)
{
    public static TheoryData<string> WithReplay => [DeployFixture.Base, .. DeployFixture.Overlays];

    [Theory]
    [MemberData(nameof(WithReplay))]
    public void GivenAKustomizationWithReplayJobs_WhenRendered_ThenTheSiteMountsTheReplayOutputsReadOnlyAndNothingElseOfTheSharedVolume(string kustomization)
    {
        Manifests manifests = deploy[kustomization];
        PodTemplate site = manifests.Pod("Deployment", "lt-site");
        JsonObject container = site.Spec.Objects("containers").Single();
        var shared = SharedMounts(site, container).ToList();

        JsonObject replay = Assert.Single(shared);
        Assert.Equal("replay", replay.Text("subPath"));
        Assert.Equal("/data/replay", replay.Text("mountPath"));
        Assert.Equal("true", replay.Text("readOnly"));
        JsonObject claim = site.Spec.Objects("volumes").Single(v => v.Text("name") == replay.Text("name"));
        Assert.Equal("true", claim.Text("persistentVolumeClaim", "readOnly"));
        Assert.Equal("/data/replay", StageSettings.Of(manifests, container).AsDeployed["Playback:Paths:0"]);
    }

    [Theory]
    [MemberData(nameof(WithReplay))]
    public void GivenAKustomization_WhenRendered_ThenNoLongRunningStageButTheSiteMountsTheReplayOutputs(string kustomization)
    {
        Manifests manifests = deploy[kustomization];

        var mounting = manifests.AppContainers
            .Where(c => c.Pod.IsLongRunning && SharedMounts(c.Pod, c.Container).Any(m => m.Text("subPath") == "replay"))
            .Select(c => c.Pod.Id);

        Assert.Equal(["Deployment/lt-site"], mounting);
    }

    [Fact]
    public void GivenTheSecondRegion_WhenRendered_ThenItsSiteMountsNoSharedVolumeAndNamesNoReplayOutputs()
    {
        Manifests manifests = deploy[DeployFixture.SiteOnlyOverlays.Single()];
        PodTemplate site = manifests.Pod("Deployment", "lt-site");
        JsonObject container = site.Spec.Objects("containers").Single();

        Assert.Empty(SharedMounts(site, container));
        Assert.Equal("", StageSettings.Of(manifests, container).AsDeployed["Playback:Paths:0"]);
    }

    /// <summary>The container's mounts of a persistent volume claim.</summary>
    private static IEnumerable<JsonObject> SharedMounts(PodTemplate pod, JsonObject container)
    {
        var claims = pod.Spec.Objects("volumes").Where(v => v.Child("persistentVolumeClaim") is not null).Select(v => v.Text("name")).ToHashSet();
        return container.Objects("volumeMounts").Where(m => claims.Contains(m.Text("name")));
    }
}
