using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace ListeningTogether.Deploy.Tests.Fixtures;

/// <summary>A finished child process: its exit code and what it printed.</summary>
public sealed record ProcessRun(int ExitCode, string Output, string Errors)
{
    /// <summary>Runs <paramref name="fileName"/> to completion; a program that is not installed throws <see cref="Win32Exception"/>.</summary>
    public static async Task<ProcessRun> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"'{fileName}' did not start.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{fileName} {string.Join(' ', arguments)}` did not finish within {timeout.TotalSeconds} s.");
        }

        return new ProcessRun(process.ExitCode, await output.ConfigureAwait(false), await errors.ConfigureAwait(false));
    }
}
