using System.ComponentModel;

namespace ListeningTogether.Deploy.Tests.Fixtures;

/// <summary>Renders a kustomization with <c>kubectl kustomize</c>, offline, as a platform team would before applying it.</summary>
public static class Kustomize
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<string> RenderAsync(string directory, string kubectl = "kubectl")
    {
        ProcessRun run;
        try
        {
            run = await ProcessRun.RunAsync(kubectl, ["kustomize", directory], Timeout);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"'{kubectl}' was not found ({e.Message}). The deploy tests render the manifests with `kubectl kustomize`: install kubectl (it is on the development machines and in CI).",
                e);
        }

        return run.ExitCode == 0
            ? run.Output
            : throw new InvalidOperationException($"`{kubectl} kustomize {directory}` failed with exit code {run.ExitCode}: {run.Errors.Trim()}");
    }
}
