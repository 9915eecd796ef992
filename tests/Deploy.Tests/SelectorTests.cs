using System.Text.Json.Nodes;
using ListeningTogether.Deploy.Tests.Fixtures;

namespace ListeningTogether.Deploy.Tests;

/// <summary>Issue 6: every selector and reference in the rendered overlays reaches what it means to.</summary>
[Collection(DeployCollection.Name)]
public sealed class SelectorTests(DeployFixture deploy)
{
    public static TheoryData<string> Overlays => [.. DeployFixture.Overlays];

    [Theory]
    [MemberData(nameof(Overlays))]
    public void GivenAnOverlay_WhenRendered_ThenEveryWorkloadSelectsItsOwnPodTemplateAndNoOther(string overlay)
    {
        Manifests manifests = deploy[overlay];
        var problems = new List<string>();
        foreach (PodTemplate pod in manifests.PodTemplates.Where(p => p.Kind is "Deployment" or "StatefulSet"))
        {
            JsonObject selector = pod.Workload.Child("spec", "selector") ?? [];
            if (!LabelSelector.Matches(selector, pod.Labels))
            {
                problems.Add($"{pod.Id}: its selector does not match its own pod labels");
            }

            foreach (PodTemplate other in manifests.PodTemplates.Where(o => o != pod && LabelSelector.Matches(selector, o.Labels)))
            {
                problems.Add($"{pod.Id}: its selector also matches the pods of {other.Id}");
            }
        }

        Problems.AssertNone(problems);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void GivenAnOverlay_WhenRendered_ThenEveryServiceSelectsPodsThatServeItsTargetPort(string overlay)
    {
        Manifests manifests = deploy[overlay];
        var problems = new List<string>();
        foreach (JsonObject service in manifests.OfKind("Service"))
        {
            string name = service.Text("metadata", "name")!;
            IReadOnlyDictionary<string, string> selector = service.Map("spec", "selector");
            List<PodTemplate> pods = [.. manifests.PodTemplates.Where(p => selector.Count > 0 && selector.All(l => p.Labels.GetValueOrDefault(l.Key) == l.Value))];
            if (pods.Count == 0)
            {
                problems.Add($"Service/{name}: selects no pods");
            }

            foreach (JsonObject port in service.Objects("spec", "ports"))
            {
                string target = port.Text("targetPort") ?? port.Text("port")!;
                foreach (PodTemplate pod in pods.Where(p => !p.Spec.Objects("containers").SelectMany(c => c.Objects("ports")).Any(cp => cp.Text("name") == target || cp.Text("containerPort") == target)))
                {
                    problems.Add($"Service/{name}: {pod.Id} has no container port {target}");
                }
            }
        }

        Problems.AssertNone(problems);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void GivenAnOverlay_WhenRendered_ThenEveryDisruptionBudgetAndPolicySelectsExistingPods(string overlay)
    {
        Manifests manifests = deploy[overlay];
        var problems = new List<string>();
        foreach (JsonObject budget in manifests.OfKind("PodDisruptionBudget"))
        {
            List<PodTemplate> pods = [.. manifests.PodTemplates.Where(p => LabelSelector.Matches(budget.Child("spec", "selector")!, p.Labels))];
            if (pods.Count != 1 || !pods[0].IsLongRunning)
            {
                problems.Add($"PodDisruptionBudget/{budget.Text("metadata", "name")}: selects {pods.Count} workloads ({string.Join(", ", pods)}), not one long-running stage");
            }
        }

        foreach (JsonObject policy in manifests.OfKind("NetworkPolicy").Concat(manifests.OfKind("PodMonitoring")))
        {
            JsonObject selector = policy.Child("spec", "podSelector") ?? policy.Child("spec", "selector")!;
            if (!manifests.PodTemplates.Any(p => LabelSelector.Matches(selector, p.Labels)))
            {
                problems.Add($"{policy.Text("kind")}/{policy.Text("metadata", "name")}: selects no pods");
            }
        }

        var budgeted = manifests.OfKind("PodDisruptionBudget").SelectMany(b => manifests.PodTemplates.Where(p => LabelSelector.Matches(b.Child("spec", "selector")!, p.Labels))).ToHashSet();
        foreach (PodTemplate pod in manifests.PodTemplates.Where(p => p.IsLongRunning && !budgeted.Contains(p)))
        {
            problems.Add($"{pod.Id}: no PodDisruptionBudget");
        }

        Problems.AssertNone(problems);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void GivenAnOverlay_WhenRendered_ThenEveryReferenceNamesARenderedObject(string overlay)
    {
        Manifests manifests = deploy[overlay];
        var problems = new List<string>();
        foreach (PodTemplate pod in manifests.PodTemplates)
        {
            string account = pod.Spec.Text("serviceAccountName") ?? "default";
            if (manifests.Find("ServiceAccount", account) is null)
            {
                problems.Add($"{pod.Id}: service account {account} is not rendered");
            }

            foreach (string claim in pod.Spec.Objects("volumes").Select(v => v.Text("persistentVolumeClaim", "claimName")).OfType<string>())
            {
                if (manifests.Find("PersistentVolumeClaim", claim) is null)
                {
                    problems.Add($"{pod.Id}: claim {claim} is not rendered");
                }
            }

            foreach (string configMap in pod.Spec.Objects("volumes").Select(v => v.Text("configMap", "name")).OfType<string>())
            {
                if (manifests.Find("ConfigMap", configMap) is null)
                {
                    problems.Add($"{pod.Id}: ConfigMap {configMap} (a volume) is not rendered");
                }
            }

            foreach (JsonObject container in pod.Containers)
            {
                foreach (string configMap in container.Objects("envFrom").Select(e => e.Text("configMapRef", "name")).OfType<string>())
                {
                    if (manifests.Find("ConfigMap", configMap) is null)
                    {
                        problems.Add($"{pod.Id}: ConfigMap {configMap} is not rendered");
                    }
                }

                var volumes = pod.Spec.Objects("volumes").Select(v => v.Text("name")).ToHashSet();
                foreach (string mount in container.Objects("volumeMounts").Select(m => m.Text("name")!).Where(m => !volumes.Contains(m)))
                {
                    problems.Add($"{pod.Id} container {container.Text("name")}: mounts {mount}, which is not a volume of the pod");
                }
            }
        }

        foreach (JsonObject namespaced in manifests.Objects.Where(o => o.Text("kind") is not ("Namespace" or "ClusterRole" or "ClusterRoleBinding")))
        {
            if (namespaced.Text("metadata", "namespace") != "listening-together")
            {
                problems.Add($"{namespaced.Text("kind")}/{namespaced.Text("metadata", "name")}: in namespace {namespaced.Text("metadata", "namespace") ?? "(none)"}, not listening-together");
            }
        }

        foreach (JsonObject statefulSet in manifests.OfKind("StatefulSet"))
        {
            string service = statefulSet.Text("spec", "serviceName")!;
            if (manifests.Find("Service", service) is not { } headless || headless.Text("spec", "clusterIP") != "None")
            {
                problems.Add($"StatefulSet/{statefulSet.Text("metadata", "name")}: its serviceName {service} is not a rendered headless Service");
            }
        }

        foreach (JsonObject scaler in manifests.OfKind("HorizontalPodAutoscaler").Concat(manifests.OfKind("ScaledObject")))
        {
            JsonObject target = scaler.Child("spec", "scaleTargetRef")!;
            if (manifests.Find(target.Text("kind") ?? "Deployment", target.Text("name")!) is null)
            {
                problems.Add($"{scaler.Text("kind")}/{scaler.Text("metadata", "name")}: scales {target.Text("kind")}/{target.Text("name")}, which is not rendered");
            }
        }

        Problems.AssertNone(problems);
    }
}
