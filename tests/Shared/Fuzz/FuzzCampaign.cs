using System.Diagnostics;
using System.Text;

namespace ListeningTogether.Tests.Shared.Fuzz;

/// <summary>
/// Runs one fuzz target over generated inputs: each case in its own task with a time limit, its allocations
/// on its thread counted against a cap, and any exception but the documented ones recorded as a defect with the
/// seed, the case number and the input in base64. Fails the test with every distinct defect at the end.
/// </summary>
internal sealed class FuzzCampaign(string target, int ciCases)
{
    private const int MaxBase64InputBytes = 64 * 1024;

    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bytes one case may allocate on its thread; null when the target works on other threads.</summary>
    public long? MaxAllocatedBytes { get; init; } = 16L << 20;

    public int Cases => FuzzSettings.Cases(ciCases);

    /// <param name="generate">The case's input from the case's random source.</param>
    /// <param name="exercise">Reads the input as the project does; returns normally or throws.</param>
    /// <param name="isDocumented">Whether an exception is one the reader documents (a clear refusal).</param>
    public void Run(Func<Random, byte[]> generate, Action<byte[]> exercise, Func<Exception, bool> isDocumented) =>
        Run(generate, input =>
        {
            exercise(input);
            return Task.CompletedTask;
        }, isDocumented);

    /// <summary>As <see cref="Run(Func{Random, byte[]}, Action{byte[]}, Func{Exception, bool})"/> for a reader with an asynchronous API.</summary>
    /// <remarks>An exercise that awaits I/O goes on on other threads, where its allocations cannot be counted: give it a null <see cref="MaxAllocatedBytes"/>.</remarks>
    public void Run(Func<Random, byte[]> generate, Func<byte[], Task> exercise, Func<Exception, bool> isDocumented)
    {
        int seed = FuzzSettings.Seed;
        var defects = new Dictionary<string, string>();
        int run = 0;
        foreach (string regression in FuzzSettings.Regressions(target))
        {
            byte[] input = File.ReadAllBytes(regression);
            run++;
            if (RunCase(input, exercise, isDocumented, out bool hung) is { } defect)
            {
                defects[defect] = $"FUZZ DEFECT {target}: {defect}\n  regression input: {regression}";
            }

            if (hung)
            {
                Report(run, defects.Count);
                Assert.Fail(string.Join("\n", defects.Values));
            }
        }

        for (int i = 0; i < Cases; i++)
        {
            if (FuzzSettings.OnlyCase is { } only && only != i)
            {
                continue;
            }

            var random = new Random(CaseSeed(seed, i));
            byte[] input = generate(random);
            run++;
            string? defect = RunCase(input, exercise, isDocumented, out bool hung);
            if (defect is not null && !defects.ContainsKey(defect))
            {
                defects[defect] = Describe(seed, i, defect, input);
                Save(seed, i, input);
            }

            if (hung)
            {
                break; // the hung case still holds its thread
            }
        }

        Report(run, defects.Count);
        if (defects.Count > 0)
        {
            Assert.Fail($"{defects.Count} defect(s) in {run} cases of {target}:\n" + string.Join("\n", defects.Values));
        }
    }

    /// <summary>The random seed of case <paramref name="index"/> of a run: the same for every target name and run seed.</summary>
    private int CaseSeed(int seed, int index)
    {
        uint hash = 2166136261;
        foreach (char c in target)
        {
            hash = (hash ^ c) * 16777619;
        }

        return unchecked((int)(((uint)seed * 0x9E3779B1u) ^ hash ^ ((uint)index * 0x85EBCA77u)));
    }

    private string? RunCase(byte[] input, Func<byte[], Task> exercise, Func<Exception, bool> isDocumented, out bool hung)
    {
        hung = false;
        var task = Task.Run(async () =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                await exercise(input).ConfigureAwait(false);
            }
            catch (Exception e) when (!isDocumented(e))
            {
                return $"undocumented {e.GetType().Name} at {FirstFrame(e)}: {e.Message}";
            }
            catch (Exception)
            {
                // A documented refusal.
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            return MaxAllocatedBytes is { } cap && allocated > cap
                ? $"allocated {allocated:N0} bytes for a {input.Length:N0}-byte input (cap {cap:N0})"
                : null;
        });

        if (!task.Wait(TimeLimit))
        {
            hung = true;
            return $"no answer within {TimeLimit.TotalSeconds:0} s";
        }

        return task.Result;
    }

    private string Describe(int seed, int index, string defect, byte[] input)
    {
        var text = new StringBuilder();
        text.Append(CultureInfoInvariant($"FUZZ DEFECT {target}: {defect}\n  reproduce: LT_FUZZ_SEED={seed} LT_FUZZ_CASE={index}\n  input ({input.Length} bytes, base64): "));
        if (input.Length <= MaxBase64InputBytes)
        {
            text.Append(Convert.ToBase64String(input));
        }
        else
        {
            string path = Path.Combine(Path.GetTempPath(), $"fuzz-{target}-{seed}-{index}.bin");
            File.WriteAllBytes(path, input);
            text.Append("written to ").Append(path);
        }

        return text.ToString();
    }

    private void Save(int seed, int index, byte[] input)
    {
        if (FuzzSettings.DefectDirectory is { } directory)
        {
            Directory.CreateDirectory(Path.Combine(directory, target));
            File.WriteAllBytes(Path.Combine(directory, target, CultureInfoInvariant($"{seed}-{index}.bin")), input);
        }
    }

    private void Report(int cases, int defects)
    {
        if (FuzzSettings.ReportFile is { } file)
        {
            File.AppendAllText(file, CultureInfoInvariant($"{target} {cases} {defects}\n"));
        }
    }

    private static string FirstFrame(Exception e)
    {
        StackFrame? frame = new StackTrace(e, fNeedFileInfo: false).GetFrames().FirstOrDefault(f => f.GetMethod()?.DeclaringType?.Namespace?.StartsWith("ListeningTogether", StringComparison.Ordinal) == true)
            ?? new StackTrace(e, fNeedFileInfo: false).GetFrame(0);
        return frame?.GetMethod() is { } method ? $"{method.DeclaringType?.Name}.{method.Name}" : "?";
    }

    private static string CultureInfoInvariant(FormattableString text) => FormattableString.Invariant(text);
}
