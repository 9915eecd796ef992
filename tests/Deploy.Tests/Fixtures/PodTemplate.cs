using System.Text.Json.Nodes;

namespace ListeningTogether.Deploy.Tests.Fixtures;

/// <summary>The pod template of a workload (Deployment, StatefulSet, Job, CronJob) as rendered.</summary>
public sealed record PodTemplate(string Kind, string Name, JsonObject Workload, JsonObject Template)
{
    public static readonly IReadOnlySet<string> WorkloadKinds = new HashSet<string>(StringComparer.Ordinal) { "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob" };

    /// <summary>Processes that serve until stopped (and so need probes and a scrape endpoint), unlike jobs.</summary>
    public bool IsLongRunning => Kind is "Deployment" or "StatefulSet" or "DaemonSet";

    public string Id => $"{Kind}/{Name}";

    public JsonObject Spec => Template.Child("spec") ?? throw new InvalidDataException($"{Id} has no pod spec.");

    public IReadOnlyDictionary<string, string> Labels => Template.Map("metadata", "labels");

    public IReadOnlyDictionary<string, string> Annotations => Template.Map("metadata", "annotations");

    public IEnumerable<JsonObject> Containers => Spec.Objects("initContainers").Concat(Spec.Objects("containers"));

    public static PodTemplate? Of(JsonObject workload)
    {
        string kind = workload.Text("kind") ?? string.Empty;
        if (!WorkloadKinds.Contains(kind))
        {
            return null;
        }

        JsonObject? template = kind == "CronJob"
            ? workload.Child("spec", "jobTemplate", "spec", "template")
            : workload.Child("spec", "template");
        return new PodTemplate(kind, workload.Text("metadata", "name")!, workload, template ?? throw new InvalidDataException($"{kind} has no pod template."));
    }

    public override string ToString() => Id;
}
