using ListeningTogether.Abstractions;

namespace ListeningTogether.Streaming.Health;

/// <summary>
/// The sources the stages of this process read that can say whether they can be read (a Pub/Sub subscription whose
/// service is down cannot): the <c>source</c> part of <c>/readyz</c>. Safe from any thread.
/// </summary>
public sealed class SourceStatuses
{
    private readonly Lock _gate = new();
    private readonly List<ISourceStatus> _sources = [];

    /// <summary>Whether a stage reads a source that reports its status.</summary>
    public bool Any
    {
        get
        {
            lock (_gate)
            {
                return _sources.Count > 0;
            }
        }
    }

    public void Add(ISourceStatus source)
    {
        lock (_gate)
        {
            _sources.Add(source);
        }
    }

    /// <summary>The first problem a source reports now, or null when every one can be read.</summary>
    public string? FirstProblem()
    {
        lock (_gate)
        {
            return _sources.Select(s => s.Problem).FirstOrDefault(p => p is not null);
        }
    }
}
