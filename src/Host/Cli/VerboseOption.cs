using System.CommandLine;

namespace ListeningTogether.Host.Cli;

/// <summary><c>--verbose</c> on every verb: debug logging, and the stack trace of a failure under its one-line cause.</summary>
internal static class VerboseOption
{
    public const string Name = "--verbose";

    public static Option<bool> Create() =>
        new(Name) { Description = "Debug logging, and a failure's stack trace after its one-line cause", Recursive = true };

    public static bool IsSet(ParseResult parse) => parse.GetValue<bool>(Name);
}
