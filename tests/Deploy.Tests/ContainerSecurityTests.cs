using System.Text.Json.Nodes;
using ListeningTogether.Deploy.Tests.Fixtures;

namespace ListeningTogether.Deploy.Tests;

/// <summary>Issue 6: every container of every overlay runs without root, within limits, on a read-only root file system.</summary>
[Collection(DeployCollection.Name)]
public sealed class ContainerSecurityTests(DeployFixture deploy)
{
    public static TheoryData<string> Overlays => [.. DeployFixture.Overlays];

    [Theory]
    [MemberData(nameof(Overlays))]
    public void GivenAnOverlay_WhenRendered_ThenEveryContainerRunsAsANonRootUserWithoutPrivileges(string overlay)
    {
        var problems = new List<string>();
        foreach (PodTemplate pod in deploy[overlay].PodTemplates)
        {
            JsonObject podSecurity = pod.Spec.Child("securityContext") ?? [];
            foreach (JsonObject container in pod.Containers)
            {
                string where = $"{pod.Id} container {container.Text("name")}";
                JsonObject security = container.Child("securityContext") ?? [];
                string? runAsNonRoot = security.Text("runAsNonRoot") ?? podSecurity.Text("runAsNonRoot");
                string? runAsUser = security.Text("runAsUser") ?? podSecurity.Text("runAsUser");
                if (runAsNonRoot != "true")
                {
                    problems.Add($"{where}: runAsNonRoot is not true");
                }

                if (runAsUser is null or "0")
                {
                    problems.Add($"{where}: runAsUser is {runAsUser ?? "unset"} (the image's user would decide)");
                }

                if (security.Text("allowPrivilegeEscalation") != "false")
                {
                    problems.Add($"{where}: allowPrivilegeEscalation is not false");
                }

                if (security.Text("readOnlyRootFilesystem") != "true")
                {
                    problems.Add($"{where}: readOnlyRootFilesystem is not true");
                }

                if (!security.Texts("capabilities", "drop").Contains("ALL") || security.At("capabilities", "add") is not null)
                {
                    problems.Add($"{where}: capabilities are not all dropped");
                }

                if ((security.Text("seccompProfile", "type") ?? podSecurity.Text("seccompProfile", "type")) != "RuntimeDefault")
                {
                    problems.Add($"{where}: no RuntimeDefault seccomp profile");
                }

                if (security.Text("privileged") == "true")
                {
                    problems.Add($"{where}: privileged");
                }
            }

            if (pod.Spec.Text("hostNetwork") == "true" || pod.Spec.Text("hostPID") == "true" || pod.Spec.Text("hostIPC") == "true")
            {
                problems.Add($"{pod.Id}: shares the node's namespaces");
            }
        }

        Problems.AssertNone(problems);
        Assert.NotEmpty(deploy[overlay].PodTemplates);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void GivenAnOverlay_WhenRendered_ThenEveryContainerRequestsAndLimitsCpuAndMemory(string overlay)
    {
        var problems = new List<string>();
        foreach (PodTemplate pod in deploy[overlay].PodTemplates)
        {
            foreach (JsonObject container in pod.Containers)
            {
                foreach (string kind in new[] { "requests", "limits" })
                {
                    foreach (string resource in new[] { "cpu", "memory" })
                    {
                        if (container.Text("resources", kind, resource) is null)
                        {
                            problems.Add($"{pod.Id} container {container.Text("name")}: no {resource} {kind}");
                        }
                    }
                }
            }
        }

        Problems.AssertNone(problems);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void GivenAnOverlay_WhenRendered_ThenEveryLongRunningStageIsProbedOnHealthzAndReadyzAtItsManagementPort(string overlay)
    {
        var problems = new List<string>();
        List<PodTemplate> longRunning = [.. deploy[overlay].PodTemplates.Where(p => p.IsLongRunning)];
        foreach (PodTemplate pod in longRunning)
        {
            foreach (JsonObject container in pod.Spec.Objects("containers"))
            {
                string where = $"{pod.Id} container {container.Text("name")}";
                var ports = container.Objects("ports").ToDictionary(p => p.Text("name") ?? p.Text("containerPort")!, p => p.Text("containerPort")!);
                foreach ((string probe, string path) in new[] { ("livenessProbe", "/healthz"), ("readinessProbe", "/readyz"), ("startupProbe", "/healthz") })
                {
                    JsonObject? get = container.Child(probe, "httpGet");
                    string? port = get.Text("port");
                    if (get is null || get.Text("path") != path)
                    {
                        problems.Add($"{where}: {probe} does not GET {path}");
                    }
                    else if (port is null || (ports.TryGetValue(port, out string? number) ? number : port) != "9090")
                    {
                        problems.Add($"{where}: {probe} asks port {port}, not the 9090 of Management:Urls");
                    }
                }
            }
        }

        Problems.AssertNone(problems);
        Assert.Equal(["Deployment/lt-ingest", "Deployment/lt-site", "StatefulSet/lt-match"], longRunning.Select(p => p.Id).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void GivenAnOverlay_WhenRendered_ThenEveryContainerHasAWritableTmpVolumeUnderItsReadOnlyRoot(string overlay)
    {
        var problems = new List<string>();
        foreach (PodTemplate pod in deploy[overlay].PodTemplates)
        {
            var emptyDirs = pod.Spec.Objects("volumes").Where(v => v.At("emptyDir") is not null).Select(v => v.Text("name")).ToHashSet();
            foreach (JsonObject container in pod.Containers)
            {
                if (!container.Objects("volumeMounts").Any(m => m.Text("mountPath") == "/tmp" && emptyDirs.Contains(m.Text("name")) && m.Text("readOnly") != "true"))
                {
                    problems.Add($"{pod.Id} container {container.Text("name")}: no writable emptyDir at /tmp");
                }
            }
        }

        Problems.AssertNone(problems);
    }
}
