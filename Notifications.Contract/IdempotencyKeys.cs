using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Notifications.Contract;

/// <summary>Idempotency keys become part of Redis key names, so their alphabet is closed.</summary>
public static partial class IdempotencyKeys
{
    public const string Rule = "Idempotency keys are 1 to 128 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'.";

    public static bool IsValid([NotNullWhen(true)] string? key) => key is not null && ValidKey().IsMatch(key);

    [GeneratedRegex(@"^[A-Za-z0-9._:-]{1,128}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ValidKey();
}
