using System.Collections;
using System.Globalization;
using System.Reflection;
using ListeningTogether.Host.Cli;

namespace ListeningTogether.Deploy.Tests.Fixtures;

/// <summary>
/// Which <c>Section:Key</c> settings the application reads: the writable properties of its options classes (every
/// class with a <c>public const string Section</c>, in the executable and the assemblies it references), plus
/// what the host itself reads (<c>Urls</c>, <c>AllowedHosts</c>, <c>Logging:*</c>).
/// </summary>
public sealed class SettingKeys
{
    private readonly Dictionary<string, Type> _sections;

    private SettingKeys(Dictionary<string, Type> sections) => _sections = sections;

    public IReadOnlyDictionary<string, Type> Sections => _sections;

    public static SettingKeys OfTheApplication()
    {
        Assembly host = typeof(ServeCommand).Assembly;
        IEnumerable<Assembly> assemblies = host.GetReferencedAssemblies()
            .Where(a => a.Name?.StartsWith("ListeningTogether.", StringComparison.Ordinal) == true)
            .Select(Assembly.Load)
            .Prepend(host);
        var sections = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase);
        foreach (Type type in assemblies.SelectMany(a => a.GetTypes()))
        {
            if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field && field.GetRawConstantValue() is string section)
            {
                sections.Add(section, type);
            }
        }

        return new SettingKeys(sections);
    }

    /// <summary>Why the application would not read <paramref name="key"/>, or null when an options class reads it.</summary>
    public string? Problem(string key)
    {
        if (key.Equals("Urls", StringComparison.OrdinalIgnoreCase) || key.Equals("AllowedHosts", StringComparison.OrdinalIgnoreCase)
            || key.StartsWith("Logging:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        KeyValuePair<string, Type>? section = _sections
            .Where(s => key.StartsWith(s.Key + ":", StringComparison.OrdinalIgnoreCase))
            .Select(s => (KeyValuePair<string, Type>?)s)
            .MaxBy(s => s!.Value.Key.Length);
        if (section is not { } found)
        {
            return $"{key}: no options class reads a section of that name (known: {string.Join(", ", _sections.Keys.Order(StringComparer.Ordinal))})";
        }

        string[] path = key[(found.Key.Length + 1)..].Split(':');
        Type type = found.Value;
        for (int i = 0; i < path.Length; i++)
        {
            PropertyInfo? property = type.GetProperty(path[i], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is not { CanWrite: true })
            {
                return $"{key}: {type.Name} has no setting {path[i]}";
            }

            if (i == path.Length - 1)
            {
                return null;
            }

            Type next = property.PropertyType;
            if (next != typeof(string) && typeof(IEnumerable).IsAssignableFrom(next))
            {
                // An array element (Site:AllowedOrigins:0) is the last part of a key.
                return i == path.Length - 2 && int.TryParse(path[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out _)
                    ? null
                    : $"{key}: {type.Name}.{property.Name} is a list, indexed by numbers";
            }

            if (!next.IsClass || next == typeof(string) || next == typeof(Uri))
            {
                return $"{key}: {type.Name}.{property.Name} is a value, not a section";
            }

            type = next;
        }

        return null;
    }
}
