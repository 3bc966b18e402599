using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Notifications.Web.Send;

/// <summary>Text that parses as exactly one JSON value (object, array, string, number, true, false or null).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class JsonTextAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        var error = Check(value as string);
        return error is null ? ValidationResult.Success : new ValidationResult(error, [validationContext.MemberName!]);
    }

    /// <summary>Null when <paramref name="text"/> is one JSON value, else why not.</summary>
    public static string? Check(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "Enter a JSON value, for example {\"title\":\"Hello\"} or \"text in quotes\".";
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return null;
        }
        catch (JsonException exception)
        {
            return $"Not valid JSON: {exception.Message}";
        }
    }
}
