using System.Collections.Concurrent;

namespace ListeningTogether.Streaming.Health;

/// <summary>
/// Whether each part of the process can do its work now (a sink or the archive can write, the source can be read),
/// and how many writes each sink has seen fail. Read by <c>/readyz</c> and the metrics; safe from any thread.
/// </summary>
public sealed class ComponentHealth
{
    private readonly ConcurrentDictionary<string, State> _components = new(StringComparer.Ordinal);

    /// <summary>Starts reporting on <paramref name="component"/>, as ready.</summary>
    public void Track(string component) => _components.GetOrAdd(component, _ => new State());

    /// <summary><paramref name="component"/> cannot work yet (nothing failed: the source is not read before its stage starts).</summary>
    public void NotReady(string component, string problem) => Volatile.Write(ref _components.GetOrAdd(component, _ => new State()).Problem, problem);

    /// <summary><paramref name="failures"/> writes of <paramref name="component"/> failed; it is not ready until it succeeds again.</summary>
    public void Failed(string component, string problem, long failures = 1)
    {
        State state = _components.GetOrAdd(component, _ => new State());
        Interlocked.Add(ref state.Failures, failures);
        Volatile.Write(ref state.Problem, problem);
    }

    /// <summary>Counts <paramref name="failures"/> failed writes of <paramref name="component"/> that did not stop it (they were redone).</summary>
    public void CountFailures(string component, long failures)
    {
        State state = _components.GetOrAdd(component, _ => new State());
        Interlocked.Add(ref state.Failures, failures);
    }

    /// <summary>What a part that is looked at (a source, the backplane) says now: not ready with <paramref name="problem"/>, or ready when it is null.</summary>
    public void Report(string component, string? problem)
    {
        if (problem is null)
        {
            Recovered(component);
        }
        else
        {
            NotReady(component, problem);
        }
    }

    /// <summary>The part works again.</summary>
    public void Recovered(string component)
    {
        if (_components.TryGetValue(component, out State? state))
        {
            Volatile.Write(ref state.Problem, null);
        }
    }

    /// <summary>Every tracked part, whether it is ready (and if not, why) and its failures so far, in name order.</summary>
    public IReadOnlyList<ComponentStatus> Snapshot() =>
        [.. _components
            .Select(c => new ComponentStatus(c.Key, Volatile.Read(ref c.Value.Problem), Interlocked.Read(ref c.Value.Failures)))
            .OrderBy(c => c.Component, StringComparer.Ordinal)];

    private sealed class State
    {
        public string? Problem;
        public long Failures;
    }
}

/// <summary>One part's readiness: <see cref="Problem"/> is null when it is ready.</summary>
public sealed record ComponentStatus(string Component, string? Problem, long Failures)
{
    public bool IsReady => Problem is null;
}
