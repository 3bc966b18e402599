using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Notifications.DeploymentTests;

/// <summary>
/// The configuration keys a service reads: every settable property of its options classes (the classes that declare
/// <c>public const string SectionName</c>), an array's elements as <c>Section:Property:N</c>, and the keys the framework
/// reads for it. An environment variable <c>A__B__0</c> sets the key <c>A:B:0</c>, case-insensitively.
/// </summary>
internal sealed class ConfigurationKeys
{
    private readonly IReadOnlyList<Regex> patterns;

    private ConfigurationKeys(IEnumerable<string> keyPatterns) =>
        patterns = [.. keyPatterns.Select(pattern => new Regex($"^{pattern}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))];

    public IReadOnlyList<string> Patterns => [.. patterns.Select(pattern => pattern.ToString())];

    public static ConfigurationKeys Read(Assembly assembly, params string[] frameworkKeys) =>
        new(OptionKeys(assembly).Concat(frameworkKeys.Select(key => Regex.Escape(key).Replace(@"\{n}", @"[0-9]+", StringComparison.Ordinal))));

    public static string KeyOf(string environmentVariable) => environmentVariable.Replace("__", ":", StringComparison.Ordinal);

    public bool Contains(string key) => patterns.Any(pattern => pattern.IsMatch(key));

    private static IEnumerable<string> OptionKeys(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes())
        {
            if (type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is not { IsLiteral: true } field
                || field.GetRawConstantValue() is not string section)
            {
                continue;
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(property => property.SetMethod?.IsPublic == true))
            {
                var key = Regex.Escape($"{section}:{property.Name}");
                var isList = property.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(property.PropertyType);
                yield return isList ? $"{key}:[0-9]+" : key;
            }
        }
    }
}
