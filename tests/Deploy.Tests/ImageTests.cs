using System.Text.RegularExpressions;
using ListeningTogether.Deploy.Tests.Fixtures;

namespace ListeningTogether.Deploy.Tests;

/// <summary>Issue 6: overlays run images pinned by digest, the app's image supplied through kustomize <c>images:</c>.</summary>
[Collection(DeployCollection.Name)]
public sealed partial class ImageTests(DeployFixture deploy)
{
    public static TheoryData<string> Overlays => [.. DeployFixture.Overlays];

    [Theory]
    [MemberData(nameof(Overlays))]
    public void GivenAnOverlay_WhenRendered_ThenEveryImageIsPinnedByDigest(string overlay)
    {
        var images = deploy[overlay].PodTemplates.SelectMany(p => p.Containers.Select(c => (Pod: p, Image: c.Text("image") ?? ""))).ToList();

        Assert.NotEmpty(images);
        Assert.All(images, i => Assert.Matches(Pinned(), i.Image));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void GivenAnOverlay_WhenRendered_ThenEveryStageRunsTheOneAppImageFromTheOverlaysImagesEntry(string overlay)
    {
        Manifests manifests = deploy[overlay];
        var appImages = manifests.AppContainers.Select(pc => pc.Container.Text("image")).Distinct().ToList();
        var stages = manifests.AppContainers.Select(pc => pc.Pod.Name).Distinct().Order(StringComparer.Ordinal);

        Assert.Single(appImages);
        Assert.StartsWith(manifests.AppImageRepository + "@sha256:", appImages[0], StringComparison.Ordinal);
        Assert.NotEqual(Manifests.AppImageName, manifests.AppImageRepository);
        Assert.Equal(["lt-ingest", "lt-match", "lt-merge", "lt-replay", "lt-site"], stages);
    }

    [Fact]
    public void GivenTheBase_WhenRendered_ThenTheAppImageIsLeftForTheOverlayToPin()
    {
        Manifests manifests = deploy[DeployFixture.Base];

        Assert.Equal([Manifests.AppImageName], manifests.AppContainers.Select(pc => pc.Container.Text("image")).Distinct());
    }

    // REPOSITORY[:TAG]@sha256:64 hex digits; the app image carries no tag, so the digest alone says what runs.
    [GeneratedRegex(@"^[a-z0-9.\-/:]+@sha256:[0-9a-f]{64}$")]
    private static partial Regex Pinned();
}
