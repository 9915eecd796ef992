namespace ListeningTogether.Transports.PubSub;

/// <summary>
/// The topic (and subscription) a publisher or subscriber needs, created with <c>CreateMissing</c> before first use,
/// and created again when the service says they are gone: an emulator that restarted keeps nothing. Without
/// <c>CreateMissing</c> nothing is created, and a missing resource stays the caller's failure.
/// </summary>
internal sealed class MissingResources
{
    /// <summary>Nothing to create: for connections without <c>CreateMissing</c>.</summary>
    public static readonly MissingResources None = new(null);

    private readonly Func<CancellationToken, Task>? _create;
    private readonly Lock _lock = new();
    private Task? _created;

    public MissingResources(Func<CancellationToken, Task>? create) => _create = create;

    /// <summary>Whether a resource found missing is created again (<c>CreateMissing</c>).</summary>
    public bool CanCreate => _create is not null;

    /// <summary>
    /// Completes once the resources exist: the first call creates them, later calls share that work (one that failed
    /// or was cancelled runs again). Keep the task: it is what <see cref="Lost"/> takes.
    /// </summary>
    public Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (_create is null)
        {
            return Task.CompletedTask;
        }

        lock (_lock)
        {
            if (_created is null || _created.IsFaulted || _created.IsCanceled)
            {
                _created = CreateAsync(_create, cancellationToken);
            }

            return _created;
        }
    }

    /// <summary>A task of its own for each creation, even one that finishes at once: <see cref="Lost"/> tells them apart by identity.</summary>
    private static async Task CreateAsync(Func<CancellationToken, Task> create, CancellationToken cancellationToken)
    {
        await Task.Yield();
        await create(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The resources were deleted on purpose: the next <see cref="EnsureAsync"/> creates them again.</summary>
    public void Forget()
    {
        lock (_lock)
        {
            _created = null;
        }
    }

    /// <summary>
    /// The service said a resource is missing although <paramref name="ensured"/> had made sure of it: the next
    /// <see cref="EnsureAsync"/> creates it again. Callers that saw the same loss at once cause one creation, not one
    /// each: only the first of them gets true.
    /// </summary>
    public bool Lost(Task ensured)
    {
        lock (_lock)
        {
            if (_create is null || !ReferenceEquals(_created, ensured))
            {
                return false;
            }

            _created = null;
            return true;
        }
    }
}
