namespace Notifications.Web.Account;

public static class LocalUrl
{
    /// <summary>
    /// Where to go after signing in: the requested path if it stays on this site, else the home page (a return URL
    /// such as <c>//evil.example</c> or <c>https://evil.example</c> would make the sign-in page an open redirect).
    /// </summary>
    public static string OrHome(string? returnUrl) =>
        returnUrl is ['/', not ('/' or '\\'), ..] or "/" ? returnUrl : "/";
}
