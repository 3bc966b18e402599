namespace Notifications.Web.Account;

/// <summary>The API's rule for user ids (docs/protocol.md), checked here so a mistake is shown before any call.</summary>
public static class UserIdRule
{
    public const string Pattern = @"^[A-Za-z0-9._@-]{1,128}$";
    public const string Message = "User ids are 1 to 128 characters of A-Z, a-z, 0-9, '.', '_', '@' and '-'.";
}
