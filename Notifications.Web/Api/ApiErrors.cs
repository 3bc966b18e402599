using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Notifications.Web.Api;

/// <summary>Turns a refusal of the API (status, problem details) into one readable line.</summary>
public static class ApiErrors
{
    public static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase ?? response.StatusCode.ToString()}";
        var problem = await ReadProblemAsync(response, cancellationToken);
        var hint = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => "the API refused the token; sign in again.",
            HttpStatusCode.Forbidden => "the token lacks the publisher role; sign in again with it.",
            _ => null,
        };
        return string.Join(": ", new[] { status, problem ?? hint }.Where(part => part is not null));
    }

    /// <summary>Failures where no answer came back (as opposed to the caller giving up).</summary>
    public static bool IsUnreachable(Exception exception, CancellationToken cancellationToken) =>
        exception is HttpRequestException or TimeoutRejectedException or BrokenCircuitException
        || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    private static async Task<string?> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType is not ("application/problem+json" or "application/json"))
        {
            return null;
        }

        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if (problem.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                return string.Join(" ", errors.EnumerateObject().SelectMany(field =>
                    field.Value.EnumerateArray().Select(message => $"{field.Name}: {message.GetString()}")));
            }

            return problem.TryGetProperty("detail", out var detail) ? detail.GetString()
                : problem.TryGetProperty("title", out var title) ? title.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
