using System.Collections.Immutable;
using System.Text.RegularExpressions;
using ListeningTogether.Host.Composition;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Replay.Input;
using ListeningTogether.Replay.Merge;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Host.Cli;

/// <summary>
/// What a verb that failed tells its caller (DESIGN.md "Failure, exit codes and readiness"): an exit code and one
/// line naming the key, file or URL and the cause.
/// </summary>
internal sealed partial record Failure(int ExitCode, string Message)
{
    /// <summary>Failures that refuse the work before it starts: a bad argument, setting, input or output.</summary>
    private static readonly ImmutableArray<Type> Refusals =
    [
        typeof(SettingsException),
        typeof(PubSubException),
        typeof(GeoDatabaseException),
        typeof(InputFileException),
        typeof(MergeRefusedException),
        typeof(FileNotFoundException),
        typeof(DirectoryNotFoundException),
        typeof(UnauthorizedAccessException),
    ];

    private const int NoSpaceErrno = 28;

    /// <param name="failure">What the verb threw.</param>
    /// <param name="configuration">The settings, once read: they say which setting listed an address Kestrel could not bind.</param>
    public static Failure Of(Exception failure, IConfiguration? configuration) => failure switch
    {
        RuntimeFailureException => new(ExitCodes.Failed, failure.Message),
        _ when Refusals.Any(type => type.IsInstanceOfType(failure)) => new(ExitCodes.Refused, failure.Message),
        IOException io when ListenUrls.DescribeBindFailure(io, ListenSettings(configuration)) is { } refused => new(ExitCodes.Refused, refused.Message),
        IOException { HResult: NoSpaceErrno } io => new(ExitCodes.Failed, PathFirst(io.Message)),

        // Not expected: a bug, named by its type; the stack trace comes with --verbose.
        _ => new(ExitCodes.Failed, $"{failure.GetType().Name}: {failure.Message}"),
    };

    private static (string Key, string Value)[] ListenSettings(IConfiguration? configuration)
    {
        string urls = configuration?["Urls"] ?? Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? WebHostFactory.DefaultUrls;
        return configuration?["Management:Urls"] is { Length: > 0 } management
            ? [("Management:Urls", management), ("Urls", urls)]
            : [("Urls", urls)];
    }

    /// <summary>"No space left on device : '/out/r.jsonl'" as "'/out/r.jsonl': no space left on device".</summary>
    private static string PathFirst(string message) =>
        PathAtEnd().Match(message) is { Success: true } m
            ? $"'{m.Groups["path"].Value}': {char.ToLowerInvariant(m.Groups["cause"].Value[0])}{m.Groups["cause"].Value[1..]}"
            : message;

    [GeneratedRegex("^(?<cause>.+?) : '(?<path>.*)'$")]
    private static partial Regex PathAtEnd();
}
