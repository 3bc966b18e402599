using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Notifications.Api.Limits;
using Notifications.Api.Refusals;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Publishing;

/// <summary>
/// Reads a publish body itself, so that each way it can be wrong (not JSON, too big, unreadable, no <c>data</c>) is a
/// refusal with its own reason, counted and logged like every other.
/// </summary>
public sealed class PublishRequestReader(IOptions<LimitsOptions> limits)
{
    private const string DataRule = "The body must be a JSON object with a \"data\" property (any JSON value).";

    public async Task<(PublishRequest? Request, Refusal? Refusal)> ReadAsync(HttpRequest request)
    {
        if (!request.HasJsonContentType())
        {
            return (null, UnsupportedMediaType);
        }

        var limit = limits.Value.MaxPublishBodyBytes;
        if (request.ContentLength > limit)
        {
            return (null, TooBig(limit));
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit;
        }

        try
        {
            var body = await request.ReadFromJsonAsync(PublishingJsonContext.Default.PublishRequest, request.HttpContext.RequestAborted);
            return body is { Data.ValueKind: not JsonValueKind.Undefined }
                ? (body, null)
                : (null, Refusal.Invalid(new Dictionary<string, string[]> { ["data"] = [DataRule] }));
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooBig(limit));
        }
        catch (JsonException)
        {
            return (null, Unreadable);
        }
    }

    private static Refusal UnsupportedMediaType { get; } = new(StatusCodes.Status415UnsupportedMediaType,
        TelemetryNames.RejectionReasons.UnsupportedMediaType, "Unsupported media type", "Send the body as application/json.");

    private static Refusal Unreadable { get; } = new(StatusCodes.Status400BadRequest, TelemetryNames.RejectionReasons.UnreadableBody,
        "Unreadable body", DataRule);

    private static Refusal TooBig(int limit) => new(StatusCodes.Status413PayloadTooLarge, TelemetryNames.RejectionReasons.TooBig,
        "Body too large", $"Publish bodies are limited to {limit} bytes (Limits:MaxPublishBodyBytes).");
}
