using System.Net.Http.Json;

namespace Notifications.Testing;

/// <summary>Tokens from the API's Development-only token endpoint, as the web app and curl get them.</summary>
public static class DevTokens
{
    public static async Task<string> IssueAsync(Uri api, string userId, params string[] roles)
    {
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.PostAsJsonAsync(Routes.DevToken, new DevTokenRequest(userId, roles));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<DevTokenResponse>())!.AccessToken;
    }
}
