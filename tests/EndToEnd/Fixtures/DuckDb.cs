using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace ListeningTogether.EndToEnd.Fixtures;

/// <summary>
/// DuckDB (npm <c>@duckdb/node-api</c>, installed into tests/interop by scripts/setup.sh) driven through the node
/// scripts in that folder. A missing node or DuckDB fails the test with what to run, never skips it.
/// </summary>
public static class DuckDb
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static string Folder => Path.Combine(Lt.Root, "tests", "interop");

    /// <summary>Runs <c>node tests/interop/SCRIPT args</c> and returns the JSON object it prints.</summary>
    public static async Task<JsonObject> RunAsync(string script, params string[] args)
    {
        RequireInstalled();
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Folder,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine(Folder, script));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = StartNode(start);
        using var cancel = new CancellationTokenSource(Timeout);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancel.Token);
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancel.Token);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"node {script} did not finish within {Timeout.TotalSeconds} s.");
        }

        string output = await stdout;
        string errors = await stderr;
        Assert.True(process.ExitCode == 0, $"node {script} exited with {process.ExitCode}:\n{errors}");
        return JsonNode.Parse(output)!.AsObject();
    }

    private static void RequireInstalled()
    {
        string package = Path.Combine(Folder, "node_modules", "@duckdb", "node-api", "package.json");
        if (!File.Exists(package))
        {
            Assert.Fail($"DuckDB for node is not installed ({package} is missing): run scripts/setup.sh (npm ci in tests/interop).");
        }
    }

    private static Process StartNode(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"node cannot be started ({e.Message}): install Node.js 20 or later and run scripts/setup.sh.");
            throw;
        }
    }
}
