using System.CommandLine;
using System.Globalization;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Replay;
using ListeningTogether.Replay.Input;
using ListeningTogether.Replay.Output.Sinks;
using ListeningTogether.Replay.Output.Summary;

namespace ListeningTogether.Host.Cli;

/// <summary><c>replay --input PATH... --output DIR [--from ISO] [--to ISO] [--skip-bad-files] [--site-url URL]</c>: exact batch co-plays of play files.</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var input = new Option<string[]>("--input") { Description = "Play files (JSONL or Parquet), folders (searched recursively), globs, or Azure Blob URLs https://ACCOUNT.blob.core.windows.net/CONTAINER[/prefix]", Required = true, AllowMultipleArgumentsPerToken = true, Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output") { Description = "Folder for coplays.parquet, coplays.jsonl, summary.json and report.html", Required = true };
        var from = new Option<string>("--from") { Description = "Replay only plays at or after this event time (ISO 8601, UTC unless an offset is given); dt=/hour= folders before it are not read" };
        var to = new Option<string>("--to") { Description = "Replay only plays before this event time (ISO 8601); dt=/hour= folders from it on are not read" };
        var skipBadFiles = new Option<bool>("--skip-bad-files") { Description = "Go on past missing or unreadable input files, listing them in summary.json and on stderr" };
        var siteUrl = new Option<string>(SiteUrlArgument.Name) { Description = SiteUrlArgument.Description };
        var command = new Command("replay", "Exact co-plays of play files, in batch") { input, output, from, to, skipBadFiles, siteUrl };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, async configuration =>
        {
            string outputFolder = OutputPaths.RequireFolder("--output", parse.GetValue(output));
            var range = EventTimeArguments.Parse(parse.GetValue(from), parse.GetValue(to));
            var site = SiteUrlArgument.Parse(parse.GetValue(siteUrl));
            var pipeline = ValidatedOptions.Bind<PipelineOptions>(configuration, PipelineOptions.Section);
            var geo = ValidatedOptions.Bind<GeoOptions>(configuration, GeoOptions.Section);
            var deadLetterOptions = ValidatedOptions.Bind<DeadLetterOptions>(configuration, DeadLetterOptions.Section);
            var blobInputs = ValidatedOptions.Bind<BlobInputOptions>(configuration, BlobInputOptions.Section);
            using GeoDatabases databases = GeoDatabases.Open(geo);
            using DeadLetterJsonlWriter? deadLetters = deadLetterOptions.Path is { Length: > 0 } path ? new DeadLetterJsonlWriter(path) : null;
            var progress = new ConsoleProgress();
            var request = new ReplayRequest(
                parse.GetValue(input)!,
                outputFolder,
                pipeline.WindowMs,
                pipeline.MinDistanceKm,
                pipeline.MaxAccuracyRadiusKm,
                databases.Cities,
                databases.AnonymousIps,
                deadLetters,
                TimeProvider.System)
            {
                Progress = progress,
                Range = range,
                SkipBadFiles = parse.GetValue(skipBadFiles),
                BlobInputs = blobInputs,
                PlaybackSite = site,
            };
            ReplaySummary summary = await new ReplayJob(request).RunAsync(cancellationToken).ConfigureAwait(false);
            progress.Finish();
            foreach (SkippedFile skipped in summary.SkippedFiles)
            {
                await Console.Error.WriteLineAsync($"skipped: {skipped.Reason}").ConfigureAwait(false);
            }

            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{summary.InputRecords:N0} records, {summary.EligiblePlays:N0} eligible plays, {summary.CoPlays:N0} co-plays -> {Path.GetFullPath(request.OutputDirectory)}"));
            return 0;
        }, cancellationToken));
        return command;
    }
}
