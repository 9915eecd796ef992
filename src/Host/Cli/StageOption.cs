using System.CommandLine;
using ListeningTogether.Host.Composition;

namespace ListeningTogether.Host.Cli;

/// <summary><c>--stage</c>: which part of the pipeline the process runs when the stages are split across processes.</summary>
internal static class StageOption
{
    public static Option<StreamingStage> Create(params StreamingStage[] allowed)
    {
        var option = new Option<StreamingStage>("--stage")
        {
            Description = $"Which stage to run: {string.Join(", ", allowed.Select(Name))} (default all)",
            DefaultValueFactory = _ => StreamingStage.All,
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "all";
                foreach (StreamingStage stage in allowed)
                {
                    if (string.Equals(Name(stage), text, StringComparison.OrdinalIgnoreCase))
                    {
                        return stage;
                    }
                }

                result.AddError($"--stage must be one of {string.Join(", ", allowed.Select(Name))}, not '{text}'.");
                return StreamingStage.All;
            },
        };
        return option;
    }

    private static string Name(StreamingStage stage) => stage.ToString().ToLowerInvariant();
}
