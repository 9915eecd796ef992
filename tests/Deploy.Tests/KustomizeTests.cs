using ListeningTogether.Deploy.Tests.Fixtures;

namespace ListeningTogether.Deploy.Tests;

/// <summary>The rendering these tests stand on fails loudly, never silently, when it cannot run.</summary>
public sealed class KustomizeTests
{
    [Fact]
    public async Task GivenNoKubectl_WhenAKustomizationIsRendered_ThenTheErrorSaysKubectlIsMissingAndWhatItIsFor()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Kustomize.RenderAsync(RepositoryFiles.Deploy("base"), kubectl: "kubectl-not-installed-here"));

        Assert.StartsWith("'kubectl-not-installed-here' was not found", e.Message, StringComparison.Ordinal);
        Assert.Contains("render the manifests with `kubectl kustomize`", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenAFolderWithoutAKustomization_WhenItIsRendered_ThenTheErrorCarriesKubectlsMessage()
    {
        string empty = Directory.CreateTempSubdirectory("lt-deploy-tests-").FullName;
        try
        {
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Kustomize.RenderAsync(empty));

            Assert.Contains($"`kubectl kustomize {empty}` failed with exit code 1", e.Message, StringComparison.Ordinal);
            Assert.Contains("kustomization", e.Message, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }
}
