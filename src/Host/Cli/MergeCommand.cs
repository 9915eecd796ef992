using System.CommandLine;
using System.Globalization;
using ListeningTogether.Replay.Merge;
using ListeningTogether.Replay.Output.Summary;

namespace ListeningTogether.Host.Cli;

/// <summary><c>merge --input DIR... --output DIR [--site-url URL]</c>: replay outputs of separate hours combined into one, as one replay of them all would give.</summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var input = new Option<string[]>("--input") { Description = "Replay output folders (coplays.jsonl and summary.json in each), of separate hours", Required = true, AllowMultipleArgumentsPerToken = true, Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output") { Description = "Folder for the merged coplays.parquet, coplays.jsonl, summary.json and report.html", Required = true };
        var siteUrl = new Option<string>(SiteUrlArgument.Name) { Description = SiteUrlArgument.Description };
        var command = new Command("merge", "Combine replay outputs of separate hours into one") { input, output, siteUrl };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, async _ =>
        {
            var request = new MergeRequest(parse.GetValue(input)!, OutputPaths.RequireFolder("--output", parse.GetValue(output)))
            {
                PlaybackSite = SiteUrlArgument.Parse(parse.GetValue(siteUrl)),
            };
            ReplaySummary summary = await new MergeJob(request).RunAsync(cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{request.Inputs.Count:N0} outputs, {summary.InputRecords:N0} records, {summary.EligiblePlays:N0} eligible plays, {summary.CoPlays:N0} co-plays -> {Path.GetFullPath(request.OutputDirectory)}"));
            return 0;
        }, cancellationToken));
        return command;
    }
}
