using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Notifications.Web.Account;

namespace Notifications.Web.Send;

public enum SendTarget
{
    User,
    Everyone,
    Topic,
}

/// <summary>The Send form: to one user, to everyone or to a topic's subscribers, any JSON value as the payload.</summary>
public sealed partial class SendInput
{
    public SendTarget Target { get; set; } = SendTarget.User;

    [UserIdWhenTargeted]
    public string? UserId { get; set; }

    [TopicWhenTargeted]
    public string? Topic { get; set; }

    [JsonText]
    public string Data { get; set; } = """{"title":"Hello","body":"from the web app"}""";

    [GeneratedRegex(UserIds.Pattern, RegexOptions.CultureInvariant)]
    internal static partial Regex ValidUserId();

    /// <summary>A user id following the API's rule, required only when the message goes to one user.</summary>
    [AttributeUsage(AttributeTargets.Property)]
    private sealed class UserIdWhenTargetedAttribute : ValidationAttribute
    {
        protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
            validationContext.ObjectInstance is SendInput { Target: SendTarget.User } && !(value is string id && ValidUserId().IsMatch(id))
                ? new ValidationResult(string.IsNullOrEmpty(value as string) ? "Enter the user id to send to." : UserIds.Rule,
                    [validationContext.MemberName!])
                : ValidationResult.Success;
    }

    /// <summary>A topic name following the API's rule, required only when the message goes to a topic.</summary>
    [AttributeUsage(AttributeTargets.Property)]
    private sealed class TopicWhenTargetedAttribute : ValidationAttribute
    {
        protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
            validationContext.ObjectInstance is SendInput { Target: SendTarget.Topic } && !TopicNames.IsValid(value as string)
                ? new ValidationResult(string.IsNullOrEmpty(value as string) ? "Enter the topic to send to." : TopicNames.Rule,
                    [validationContext.MemberName!])
                : ValidationResult.Success;
    }
}
