using System.Diagnostics;
using System.Text;

namespace ListeningTogether.EndToEnd.Fixtures;

/// <summary>What a finished <c>lt</c> process left: its exit code and everything it wrote.</summary>
public sealed record LtResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit code {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// The real executable, <c>dotnet src/Host/bin/CONFIGURATION/net10.0/lt.dll</c>, built by the solution build in the
/// configuration these tests were built with; the repository root is the folder holding ListeningTogether.sln.
/// </summary>
public static class Lt
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private static readonly Lazy<string> RepositoryRoot = new(FindRepositoryRoot);

    public static string Root => RepositoryRoot.Value;

    /// <summary>Debug or Release: the folder above net10.0 in this test assembly's path.</summary>
    public static string Configuration =>
        Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(typeof(Lt).Assembly.Location))!)!;

    public static string Directory => Path.Combine(Root, "src", "Host", "bin", Configuration, "net10.0");

    public static string Dll
    {
        get
        {
            string dll = Path.Combine(Directory, "lt.dll");
            if (!File.Exists(dll))
            {
                Assert.Fail($"{dll} is missing: build the solution first (dotnet build ListeningTogether.sln -c {Configuration}).");
            }

            return dll;
        }
    }

    public static string Examples(string fileName) =>
        Path.GetFullPath(Path.Combine(Root, "tests", "data", "coplay-examples", fileName));

    public static string MaxMindTest(string fileName) =>
        Path.GetFullPath(Path.Combine(Root, "tests", "data", "maxmind-test", fileName));

    /// <summary>The real GeoLite2 City database that lt uses by default; fails the test when set-up has not installed it.</summary>
    public static string RequireRealCityDb()
    {
        string path = Path.Combine(Root, "data", "GeoLite2-City.mmdb");
        if (!File.Exists(path))
        {
            Assert.Fail($"{path} is missing: run scripts/setup.sh");
        }

        return path;
    }

    /// <summary>Runs <c>lt</c> to the end; a process still running after the timeout is killed and fails the test.</summary>
    public static async Task<LtResult> RunAsync(
        IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment = null,
        string? dll = null,
        TimeSpan? timeout = null)
    {
        using LtProcess process = Start(args, environment, dll);
        return await process.WaitAsync(timeout ?? DefaultTimeout);
    }

    /// <summary>
    /// Starts <c>lt</c> with SIGINT at its default disposition (a shell's background job would pass it on as
    /// ignored, and then Ctrl+C could never stop it) and LT__ variables only as given.
    /// </summary>
    public static LtProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? dll = null)
    {
        var start = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet");
        start.ArgumentList.Add(dll ?? Dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("LT__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return new LtProcess(Process.Start(start)!);
    }

    private static string FindRepositoryRoot()
    {
        string start = Path.GetDirectoryName(typeof(Lt).Assembly.Location)!;
        for (string? directory = start; directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "ListeningTogether.sln")))
            {
                return directory;
            }
        }

        throw new InvalidOperationException($"No folder above {start} holds ListeningTogether.sln.");
    }
}

/// <summary>A running <c>lt</c>: its output so far, SIGINT, and its end.</summary>
public sealed class LtProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();

    public LtProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>Sends SIGINT (what Ctrl+C sends) through kill(1).</summary>
    public Task InterruptAsync() => SignalAsync("INT");

    /// <summary>Sends a signal by name (INT, TERM) through kill(1).</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    public async Task<LtResult> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            Assert.Fail($"lt did not exit within {timeout.TotalSeconds} s and was killed.\n--- stdout\n{Stdout}\n--- stderr\n{Stderr()}");
        }

        // WaitForExitAsync also waits for the redirected streams to end.
        return new LtResult(_process.ExitCode, Stdout, Stderr());
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private string Stderr()
    {
        lock (_gate)
        {
            return _stderr.ToString();
        }
    }

    private void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            output.Append(line).Append('\n');
        }
    }
}
