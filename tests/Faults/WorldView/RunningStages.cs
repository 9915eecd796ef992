using ListeningTogether.Faults.Tests.Stop;

namespace ListeningTogether.Faults.Tests.WorldView;

/// <summary>
/// Several streaming stages started together, each awaited until its <c>/readyz</c> answers 200; disposing ends every
/// one still running. If one never gets ready, the ones started with it are ended too.
/// </summary>
public sealed class RunningStages : IDisposable
{
    private readonly StageProcess[] _stages;

    private RunningStages(StageProcess[] stages) => _stages = stages;

    public StageProcess this[string name] => _stages.Single(s => s.Name == name);

    public IReadOnlyList<StageProcess> All => _stages;

    public static async Task<RunningStages> StartAsync(IEnumerable<(string Name, string[] Arguments)> stages)
    {
        Task<StageProcess>[] starting = [.. stages.Select(s => StageProcess.StartAsync(s.Name, s.Arguments))];
        try
        {
            return new RunningStages(await Task.WhenAll(starting));
        }
        catch
        {
            foreach (Task<StageProcess> started in starting.Where(t => t.IsCompletedSuccessfully))
            {
                started.Result.Dispose();
            }

            throw;
        }
    }

    public void Dispose()
    {
        foreach (StageProcess stage in _stages)
        {
            stage.Dispose();
        }
    }
}
