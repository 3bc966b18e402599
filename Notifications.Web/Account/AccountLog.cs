namespace Notifications.Web.Account;

/// <summary>
/// The sign-in page's log. A wrong code is logged once per attempt, which the per-address limit bounds; attempts over
/// the limit are counted, not logged, so a flood of them cannot become a flood of lines.
/// </summary>
internal static partial class AccountLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Sign-in as {UserId} from {RemoteAddress} refused: wrong access code")]
    public static partial void WrongAccessCode(ILogger logger, string userId, string? remoteAddress);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Signed in {UserId} (publisher: {Publisher}) by {Mode}")]
    public static partial void SignedIn(ILogger logger, string userId, bool publisher, SignInMode mode);
}
