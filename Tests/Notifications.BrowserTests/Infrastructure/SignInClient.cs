using System.Net;
using System.Text.RegularExpressions;

namespace Notifications.BrowserTests.Infrastructure;

/// <summary>
/// Posts the sign-in form as a script would, without a browser: reads the page for its antiforgery token, then sends
/// the fields, from a client address of its own (X-Forwarded-For, as the ingress sets it).
/// </summary>
public sealed partial class SignInClient : IDisposable
{
    private const string CookieName = "aspirenotify.web";
    private readonly CookieContainer _cookies = new();
    private readonly HttpClient _http;
    private readonly Uri _baseAddress;

    public SignInClient(Uri baseAddress, string forwardedFor)
    {
        _baseAddress = baseAddress;
        _http = new HttpClient(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        _http.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
    }

    public bool SignedIn => _cookies.GetCookies(_baseAddress)[CookieName] is not null;

    public async Task<HttpResponseMessage> PostAsync(string userId, string accessCode)
    {
        var page = await _http.GetStringAsync("signin");
        var fields = new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["Input.UserId"] = userId,
            ["Input.AccessCode"] = accessCode,
        };
        if (AntiforgeryToken().Match(page) is { Success: true } token)
        {
            fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);
        }

        return await _http.PostAsync("signin", new FormUrlEncodedContent(fields));
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex(""""<input[^>]*name="__RequestVerificationToken"[^>]*value="([^"]+)"""")]
    private static partial Regex AntiforgeryToken();
}
