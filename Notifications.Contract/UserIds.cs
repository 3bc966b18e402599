using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Notifications.Contract;

/// <summary>User ids become Redis channel names and stream names, so their alphabet is closed.</summary>
public static partial class UserIds
{
    public const int MaxLength = 128;
    public const string Pattern = @"^[A-Za-z0-9._@-]{1,128}$";
    public const string Rule = "User ids are 1 to 128 characters of A-Z, a-z, 0-9, '.', '_', '@' and '-'.";

    public static bool IsValid([NotNullWhen(true)] string? userId) => userId is not null && ValidUserId().IsMatch(userId);

    // Pattern ends in $, which also matches before a final newline; \z does not.
    [GeneratedRegex(@"^[A-Za-z0-9._@-]{1,128}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ValidUserId();
}
