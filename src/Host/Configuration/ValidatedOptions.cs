using System.ComponentModel.DataAnnotations;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Pipeline.Windowing;

namespace ListeningTogether.Host.Configuration;

/// <summary>Binds an options section and validates it, naming every bad key as <c>Section:Key</c>.</summary>
internal static class ValidatedOptions
{
    /// <param name="subsections">Child sections that belong to other options classes (e.g. Transport:InMemory).</param>
    public static T Bind<T>(IConfiguration configuration, string section, params string[] subsections)
        where T : class, new()
    {
        var options = new T();
        IConfigurationSection settings = configuration.GetSection(section);
        var properties = typeof(T).GetProperties().Where(p => p.CanWrite).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (IConfigurationSection child in settings.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property))
            {
                if (!subsections.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                {
                    throw new SettingsException($"Invalid setting {section}:{child.Key}: there is no such setting (known: {string.Join(", ", properties.Keys.Concat(subsections))}).");
                }

                continue;
            }

            try
            {
                property.SetValue(options, child.Get(property.PropertyType));
            }
            catch (InvalidOperationException)
            {
                Type type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                string expected = type.IsEnum ? $"one of {string.Join(", ", Enum.GetNames(type))}" : $"a value of type {type.Name}";
                throw new SettingsException($"Invalid setting {section}:{child.Key}: '{child.Value}' is not {expected}.");
            }
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
        if (!WindowAssigner.DividesAnHour(pipeline.WindowMs))
        {
            throw new SettingsException($"Invalid setting Pipeline:WindowMs: {pipeline.WindowMs} does not divide 3,600,000 (one hour), so windows would span hours.");
        }
    }
}
