using System.Text.RegularExpressions;

namespace ListeningTogether.Deploy.Tests.Fixtures;

/// <summary>A Dockerfile as a list of instructions (continuation lines joined, comments dropped), split into stages.</summary>
public sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<(string Instruction, string Arguments)> instructions) => Instructions = instructions;

    public IReadOnlyList<(string Instruction, string Arguments)> Instructions { get; }

    /// <summary>Global ARG defaults (those before the first FROM).</summary>
    public IReadOnlyDictionary<string, string> GlobalArgs =>
        Instructions.TakeWhile(i => i.Instruction != "FROM")
            .Where(i => i.Instruction == "ARG" && i.Arguments.Contains('=', StringComparison.Ordinal))
            .ToDictionary(i => i.Arguments.Split('=', 2)[0], i => i.Arguments.Split('=', 2)[1], StringComparer.Ordinal);

    /// <summary>Each stage: its base image (ARG defaults substituted), its name and its instructions.</summary>
    public IReadOnlyList<(string Image, string? Name, IReadOnlyList<(string Instruction, string Arguments)> Body)> Stages
    {
        get
        {
            var stages = new List<(string, string?, IReadOnlyList<(string, string)>)>();
            List<(string, string)>? body = null;
            foreach ((string instruction, string arguments) in Instructions)
            {
                if (instruction == "FROM")
                {
                    string[] parts = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    body = [];
                    stages.Add((Substitute(parts[0]), parts.Length == 3 && parts[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? parts[2] : null, body));
                }
                else
                {
                    body?.Add((instruction, arguments));
                }
            }

            return stages;
        }
    }

    public static Dockerfile Load(string path)
    {
        var instructions = new List<(string, string)>();
        string pending = string.Empty;
        foreach (string raw in File.ReadAllLines(path))
        {
            string line = raw.Trim();
            if (line.StartsWith('#') || line.Length == 0 && pending.Length == 0)
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            string full = (pending + line).Trim();
            pending = string.Empty;
            if (full.Length > 0)
            {
                Match m = Instruction().Match(full);
                instructions.Add((m.Groups[1].Value.ToUpperInvariant(), m.Groups[2].Value.Trim()));
            }
        }

        return new Dockerfile(instructions);
    }

    private string Substitute(string text) =>
        ArgReference().Replace(text, m => GlobalArgs.TryGetValue(m.Groups[1].Value, out string? value) ? value : m.Value);

    [GeneratedRegex(@"^(\S+)\s*(.*)$")]
    private static partial Regex Instruction();

    [GeneratedRegex(@"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")]
    private static partial Regex ArgReference();
}
