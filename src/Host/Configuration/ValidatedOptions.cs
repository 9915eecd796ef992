using System.ComponentModel.DataAnnotations;
using ListeningTogether.Abstractions.Options;

namespace ListeningTogether.Host.Configuration;

/// <summary>Binds an options section and validates it, naming every bad key as <c>Section:Key</c>.</summary>
internal static class ValidatedOptions
{
    public static T Bind<T>(IConfiguration configuration, string section)
        where T : class, new()
    {
        var options = new T();
        try
        {
            configuration.GetSection(section).Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            throw new SettingsException($"Invalid settings in section '{section}': {e.Message}");
        }

        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new SettingsException(string.Join(Environment.NewLine, results.Select(r =>
                $"Invalid setting {section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}")));
        }

        if (options is PipelineOptions pipeline)
        {
            Validate(pipeline);
        }

        return options;
    }

    private static void Validate(PipelineOptions pipeline)
    {
        if (3_600_000 % pipeline.WindowMs != 0)
        {
            throw new SettingsException($"Invalid setting Pipeline:WindowMs: {pipeline.WindowMs} does not divide 3,600,000 (one hour), so windows would span hours.");
        }
    }
}
