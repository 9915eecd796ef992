using System.Buffers;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Replay.Analytics;
using ListeningTogether.Replay.Output;
using ListeningTogether.Replay.Output.Results;
using ListeningTogether.Replay.Output.Summary;

namespace ListeningTogether.Replay.Merge;

/// <summary>
/// Combines replay outputs of separate hours into one, exactly what one replay of all their inputs gives: co-plays
/// merged in result order (each input is already sorted, so memory holds one co-play per input and a batch), the
/// summary's counts added up and its top lists recomputed from the merged co-plays, the report made again. Refuses
/// (<see cref="MergeRefusedException"/>) outputs of different settings or City databases, and overlapping ones.
/// </summary>
public sealed class MergeJob
{
    private const int BatchSize = 4096;

    private readonly MergeRequest _request;

    public MergeJob(MergeRequest request)
    {
        _request = request;
    }

    public async Task<ReplaySummary> RunAsync(CancellationToken cancellationToken = default)
    {
        List<ReplayOutput> inputs = [.. _request.Inputs.Select(ReplayOutput.Open)];
        MergeCompatibility.Check(inputs);
        ReplaySettings settings = SummaryMerge.Settings(inputs);
        CityDatabaseInfo cityDatabase = inputs[0].Summary.CityDatabase;

        Directory.CreateDirectory(_request.OutputDirectory);
        string work = Path.Combine(_request.OutputDirectory, $".merge-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var statistics = new CoPlayStatistics();
            ResultFiles output = await ResultFiles.CreateAsync(work, CoPlayParquetWriter.Metadata(settings, cityDatabase), cancellationToken).ConfigureAwait(false);
            await using (output.ConfigureAwait(false))
            {
                long coPlays = await MergeCoPlaysAsync(inputs, output, statistics, cancellationToken).ConfigureAwait(false);
                ReplaySummary summary = SummaryMerge.Combine(inputs, settings, coPlays, statistics);
                await output.CompleteAsync(summary, _request.OutputDirectory, _request.PlaybackSite, cancellationToken).ConfigureAwait(false);
                return summary;
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<long> MergeCoPlaysAsync(List<ReplayOutput> inputs, ResultFiles output, CoPlayStatistics statistics, CancellationToken cancellationToken)
    {
        var readers = new List<CoPlayFileReader>(inputs.Count);
        try
        {
            // Equal co-plays (an overlap) come out in input order, so the refusal names the inputs the same way every time.
            var next = new PriorityQueue<int, (CoPlay CoPlay, int Input)>(InputOrder.Instance);
            foreach (ReplayOutput input in inputs)
            {
                readers.Add(new CoPlayFileReader(input.CoPlaysPath));
                if (readers[^1].TryRead(out CoPlay? first))
                {
                    next.Enqueue(readers.Count - 1, (first, readers.Count - 1));
                }
            }

            var batch = new List<CoPlay>(BatchSize);
            var jsonl = new ArrayBufferWriter<byte>(BatchSize * 320);
            long written = 0;
            CoPlay? previous = null;
            int previousInput = -1;
            while (next.TryDequeue(out int i, out (CoPlay CoPlay, int) head))
            {
                CoPlay coPlay = head.CoPlay;
                if (previous is not null && CoPlayOrder.Instance.Compare(previous, coPlay) == 0)
                {
                    throw new MergeRefusedException(
                        $"Cannot merge '{inputs[i].Directory}' with '{inputs[previousInput].Directory}': both have a co-play of track '{coPlay.TrackId}' "
                        + $"in the window of {JsonText.FormatTime(coPlay.WindowStartMs)}, so they replayed overlapping hours.");
                }

                batch.Add(coPlay);
                CoPlayJsonl.Write(jsonl, coPlay);
                statistics.Add(coPlay);
                (previous, previousInput) = (coPlay, i);
                if (readers[i].TryRead(out CoPlay? following))
                {
                    next.Enqueue(i, (following, i));
                }

                if (batch.Count == BatchSize)
                {
                    written += await FlushAsync(output, batch, jsonl, cancellationToken).ConfigureAwait(false);
                }
            }

            written += await FlushAsync(output, batch, jsonl, cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < inputs.Count; i++)
            {
                if (readers[i].Count != inputs[i].Summary.CoPlays)
                {
                    throw new MergeRefusedException(
                        $"'{inputs[i].Directory}' does not hold together: its {ResultFiles.CoPlaysJsonl} has {readers[i].Count} co-plays, its {ResultFiles.Summary} says {inputs[i].Summary.CoPlays}.");
                }
            }

            return written;
        }
        finally
        {
            foreach (CoPlayFileReader reader in readers)
            {
                reader.Dispose();
            }
        }
    }

    private sealed class InputOrder : IComparer<(CoPlay CoPlay, int Input)>
    {
        public static readonly InputOrder Instance = new();

        public int Compare((CoPlay CoPlay, int Input) x, (CoPlay CoPlay, int Input) y)
        {
            int c = CoPlayOrder.Instance.Compare(x.CoPlay, y.CoPlay);
            return c != 0 ? c : x.Input.CompareTo(y.Input);
        }
    }

    private static async Task<long> FlushAsync(ResultFiles output, List<CoPlay> batch, ArrayBufferWriter<byte> jsonl, CancellationToken cancellationToken)
    {
        long count = batch.Count;
        await output.WriteAsync(batch, jsonl.WrittenMemory, cancellationToken).ConfigureAwait(false);
        batch.Clear();
        jsonl.ResetWrittenCount();
        return count;
    }
}
