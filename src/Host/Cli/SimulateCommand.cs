using System.CommandLine;
using System.Globalization;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Replay;
using ListeningTogether.Simulator;

namespace ListeningTogether.Host.Cli;

/// <summary>
/// <c>simulate --plays N --seed S --start ISO --minutes M --output FILE.jsonl</c>: synthetic, realistic plays; or
/// <c>simulate --publish --rate R --plays N</c>: live plays to the configured transport.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var plays = new Option<long>("--plays") { Description = "Records to write (redeliveries and dirty records included)", DefaultValueFactory = _ => 100_000 };
        var seed = new Option<int?>("--seed") { Description = "Random seed (default Simulator:Seed)" };
        var start = new Option<DateTimeOffset?>("--start") { Description = "First event time, ISO 8601 (default: the start of the current UTC hour)" };
        var minutes = new Option<double>("--minutes") { Description = "Event times spread over [start, start + minutes)", DefaultValueFactory = _ => 60 };
        var output = new Option<string>("--output") { Description = "Target file FILE.jsonl; catalog.jsonl is written beside it" };
        var publish = new Option<bool>("--publish") { Description = "Publish live plays (event time = now) to the configured transport instead of writing a file" };
        var rate = new Option<double?>("--rate") { Description = "With --publish: plays per second (default Simulator:PlaysPerSecond)" };
        var command = new Command("simulate", "Synthetic, realistic plays to a file or the configured transport") { plays, seed, start, minutes, output, publish, rate };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, configuration =>
        {
            string? target = parse.GetValue(output);
            if (parse.GetValue(plays) < 0)
            {
                throw new SettingsException("--plays must be 0 or more.");
            }

            if (parse.GetValue(minutes) <= 0)
            {
                throw new SettingsException("--minutes must be more than 0.");
            }

            if (parse.GetValue(publish))
            {
                if (target is not null)
                {
                    throw new SettingsException("--publish and --output exclude each other: plays go either to the transport or to a file.");
                }

                if (parse.GetValue(rate) is <= 0)
                {
                    throw new SettingsException("--rate must be more than 0.");
                }
            }
            else if (target is null)
            {
                throw new SettingsException("simulate needs --output FILE.jsonl, or --publish to send plays to the configured transport.");
            }
            else if (!target.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
            {
                throw new SettingsException($"--output '{target}': only FILE.jsonl targets are supported so far (Parquet and archive folders come with the Parquet archive).");
            }

            var simulatorOptions = ValidatedOptions.Bind<SimulatorOptions>(configuration, SimulatorOptions.Section);
            if (parse.GetValue(seed) is int s)
            {
                simulatorOptions.Seed = s;
            }

            var geo = ValidatedOptions.Bind<GeoOptions>(configuration, GeoOptions.Section);
            var pipeline = ValidatedOptions.Bind<PipelineOptions>(configuration, PipelineOptions.Section);
            DateTimeOffset now = TimeProvider.System.GetUtcNow();
            DateTimeOffset from = parse.GetValue(start) ?? new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
            var (simulator, catalog) = SimulatorFactory.Create(geo, simulatorOptions, pipeline.MaxAccuracyRadiusKm);
            if (target is null)
            {
                return SimulatePublish.RunAsync(configuration, simulator, parse.GetValue(rate) ?? simulatorOptions.PlaysPerSecond, parse.GetValue(plays), cancellationToken);
            }

            string fullPath = Path.GetFullPath(target);
            Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
            string temp = fullPath + ".tmp";
            long count = parse.GetValue(plays);
            var progress = new ConsoleProgress();
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1))
            using (var writer = new PlayJsonlWriter(file))
            {
                foreach (SimulatedPlay play in simulator.Batch(count, from, TimeSpan.FromMinutes(parse.GetValue(minutes))))
                {
                    writer.Write(play);
                    if ((writer.Count & 0xFFFF) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        progress.Report(new ReplayProgress("simulate", writer.Count, count, writer.Count));
                    }
                }

                writer.Flush();
                progress.Report(new ReplayProgress("simulate", count, count, count));
                progress.Finish();
            }

            File.Move(temp, fullPath, overwrite: true);
            string catalogPath = Path.Combine(Path.GetDirectoryName(fullPath)!, "catalog.jsonl");
            CatalogJsonl.WriteFile(catalog.Tracks, catalogPath);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count:N0} plays -> {fullPath}; {catalog.Tracks.Count:N0} tracks -> {catalogPath}"));
            return Task.FromResult(0);
        }, cancellationToken));
        return command;
    }
}
