using System.Net.Http.Json;

namespace Notifications.Testing;

/// <summary>Tokens from the API's Development-only token endpoint, as the web app and curl get them.</summary>
public static class DevTokens
{
    public static Task<string> IssueAsync(Uri api, string userId, params string[] roles) => IssueAsync(api, new DevTokenRequest(userId, roles));

    public static async Task<string> IssueAsync(Uri api, DevTokenRequest request)
    {
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.PostAsJsonAsync(Routes.DevToken, request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<DevTokenResponse>())!.AccessToken;
    }
}
