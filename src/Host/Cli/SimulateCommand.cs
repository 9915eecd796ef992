using System.CommandLine;
using System.Globalization;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Replay;
using ListeningTogether.Replay.Archive;
using ListeningTogether.Simulator;

namespace ListeningTogether.Host.Cli;

/// <summary>
/// <c>simulate --plays N --seed S --start ISO --minutes M --output TARGET</c>: synthetic, realistic plays to
/// <c>FILE.jsonl</c>, <c>FILE.parquet</c> or <c>DIR/</c> (the archive layout); or
/// <c>simulate --publish --rate R --plays N</c>: live plays to the configured transport.
/// </summary>
internal static class SimulateCommand
{
    /// <summary>The catalog's name inside an archive folder: the leading <c>_</c> keeps replay from reading it as plays.</summary>
    public const string ArchiveCatalogName = "_catalog.jsonl";

    public static Command Create()
    {
        var plays = new Option<long>("--plays") { Description = "Records to write (redeliveries and dirty records included)", DefaultValueFactory = _ => 100_000 };
        var seed = new Option<int?>("--seed") { Description = "Random seed (default Simulator:Seed)" };
        var start = new Option<DateTimeOffset?>("--start") { Description = "First event time, ISO 8601 (default: the start of the current UTC hour)" };
        var minutes = new Option<double>("--minutes") { Description = "Event times spread over [start, start + minutes)", DefaultValueFactory = _ => 60 };
        var output = new Option<string>("--output")
        {
            Description = "FILE.jsonl, FILE.parquet (catalog.jsonl is written beside either) or DIR/ for the archive layout dt=YYYY-MM-DD/hour=HH/",
        };
        var publish = new Option<bool>("--publish") { Description = "Publish live plays (event time = now) to the configured transport instead of writing a file" };
        var rate = new Option<double?>("--rate") { Description = "With --publish: plays per second (default Simulator:PlaysPerSecond)" };
        var command = new Command("simulate", "Synthetic, realistic plays to a file, an archive folder or the configured transport") { plays, seed, start, minutes, output, publish, rate };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, async configuration =>
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

            TargetKind kind = target is null ? TargetKind.Jsonl : KindOf(target);
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
                return await SimulatePublish.RunAsync(configuration, simulator, parse.GetValue(rate) ?? simulatorOptions.PlaysPerSecond, parse.GetValue(plays), cancellationToken);
            }

            long count = parse.GetValue(plays);
            IEnumerable<SimulatedPlay> records = simulator.Batch(count, from, TimeSpan.FromMinutes(parse.GetValue(minutes)));
            string fullPath = Path.GetFullPath(target);
            string catalogPath = kind == TargetKind.ArchiveFolder
                ? Path.Combine(fullPath, ArchiveCatalogName)
                : Path.Combine(Path.GetDirectoryName(fullPath)!, "catalog.jsonl");
            Directory.CreateDirectory(Path.GetDirectoryName(catalogPath)!);
            (string written, long notWritten) = kind == TargetKind.Jsonl
                ? (WriteJsonl(records, count, fullPath, cancellationToken), 0)
                : await WriteParquetAsync(records, count, kind, fullPath, simulatorOptions.Seed, cancellationToken).ConfigureAwait(false);
            CatalogJsonl.WriteFile(catalog.Tracks, catalogPath);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{written}; {catalog.Tracks.Count:N0} tracks -> {catalogPath}"));
            if (notWritten > 0)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{notWritten:N0} plays without a valid playedAt were not written"));
            }

            return 0;
        }, cancellationToken));
        return command;
    }

    private enum TargetKind
    {
        Jsonl,
        ParquetFile,
        ArchiveFolder,
    }

    private static TargetKind KindOf(string target)
    {
        if (target.EndsWith('/') || target.EndsWith(Path.DirectorySeparatorChar) || Directory.Exists(target))
        {
            OutputPaths.RequireFolder("--output", target);
            return TargetKind.ArchiveFolder;
        }

        OutputPaths.RequireFile("--output", target);

        if (target.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            return TargetKind.Jsonl;
        }

        if (target.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            return TargetKind.ParquetFile;
        }

        throw new SettingsException($"--output '{target}': expected FILE.jsonl, FILE.parquet or DIR/ (a folder, for the archive layout).");
    }

    private static string WriteJsonl(IEnumerable<SimulatedPlay> records, long count, string path, CancellationToken cancellationToken)
    {
        string temp = path + ".tmp";
        var progress = new ConsoleProgress();
        try
        {
            WriteJsonlFile(records, count, temp, progress, cancellationToken);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        File.Move(temp, path, overwrite: true);
        return string.Create(CultureInfo.InvariantCulture, $"{count:N0} plays -> {path}");
    }

    private static void WriteJsonlFile(IEnumerable<SimulatedPlay> records, long count, string path, ConsoleProgress progress, CancellationToken cancellationToken)
    {
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1))
        using (var writer = new PlayJsonlWriter(file))
        {
            foreach (SimulatedPlay play in records)
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
    }

    /// <summary>Writes the records with a valid playedAt as one Parquet file or the archive layout; gives what was written and how many could not be.</summary>
    private static async Task<(string Written, long NotWritten)> WriteParquetAsync(IEnumerable<SimulatedPlay> records, long count, TargetKind kind, string path, int seed, CancellationToken cancellationToken)
    {
        var partitions = kind == TargetKind.ArchiveFolder
            ? new HourPartitionedPlayOutput(path, string.Create(CultureInfo.InvariantCulture, $"simulated-seed{seed}.parquet"))
            : null;
        IParquetPlayOutput output = partitions ?? (IParquetPlayOutput)new ParquetPlayFileOutput(path);
        await using (output.ConfigureAwait(false))
        {
            var archiver = new SimulatedPlayArchiver(output);
            var progress = new ConsoleProgress();
            long done = 0;
            foreach (SimulatedPlay play in records)
            {
                await archiver.AddAsync(play, cancellationToken).ConfigureAwait(false);
                if ((++done & 0xFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress.Report(new ReplayProgress("simulate", done, count, done));
                }
            }

            await output.CompleteAsync(cancellationToken).ConfigureAwait(false);
            progress.Report(new ReplayProgress("simulate", count, count, count));
            progress.Finish();
            int hours = partitions?.Hours.Count() ?? 0;
            string written = partitions is null
                ? string.Create(CultureInfo.InvariantCulture, $"{archiver.Written:N0} plays -> {path}")
                : string.Create(CultureInfo.InvariantCulture, $"{archiver.Written:N0} plays -> {path} ({hours:N0} hour partition{(hours == 1 ? "" : "s")})");
            return (written, archiver.NotWritten);
        }
    }
}
