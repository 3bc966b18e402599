using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Notifications.Api.Limits;
using Notifications.Api.Refusals;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Publishing;

/// <summary>
/// Reads a publish body itself, so that each way it can be wrong (not JSON, too big, unreadable, no <c>data</c>, no or
/// too many messages) is a refusal with its own reason, counted and logged like every other.
/// </summary>
public sealed class PublishRequestReader(IOptions<LimitsOptions> limits)
{
    private const string DataRule = "The body must be a JSON object with a \"data\" property (any JSON value).";
    private const string MessagesRule = "The body must be a JSON object with a non-empty \"messages\" array.";

    public async Task<(PublishRequest? Request, Refusal? Refusal)> ReadAsync(HttpRequest request)
    {
        var (body, refusal) = await ReadAsync(request, PublishingJsonContext.Default.PublishRequest,
            limits.Value.MaxPublishBodyBytes, nameof(LimitsOptions.MaxPublishBodyBytes), DataRule);
        return refusal is not null || body is { Data.ValueKind: not JsonValueKind.Undefined }
            ? (body, refusal)
            : (null, Refusal.Invalid(new Dictionary<string, string[]> { ["data"] = [DataRule] }));
    }

    /// <summary>Reads a batch and checks the batch as a whole; each message is checked by <see cref="BatchPlan"/>.</summary>
    public async Task<(PublishBatchRequest? Request, Refusal? Refusal)> ReadBatchAsync(HttpRequest request)
    {
        var (body, refusal) = await ReadAsync(request, PublishingJsonContext.Default.PublishBatchRequest,
            limits.Value.MaxBatchBodyBytes, nameof(LimitsOptions.MaxBatchBodyBytes), MessagesRule);
        if (refusal is not null)
        {
            return (null, refusal);
        }

        var max = limits.Value.MaxBatchMessages;
        return body?.Messages switch
        {
            null or [] => (null, Refusal.Invalid(new Dictionary<string, string[]> { ["messages"] = [MessagesRule] })),
            { Count: var count } when count > max => (null, TooManyMessages(count, max)),
            _ => (body, null),
        };
    }

    private static async Task<(T? Body, Refusal? Refusal)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, int limit,
        string limitName, string rule) where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, UnsupportedMediaType);
        }

        if (request.ContentLength > limit)
        {
            return (null, TooBig(limit, limitName));
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit;
        }

        try
        {
            return (await request.ReadFromJsonAsync(type, request.HttpContext.RequestAborted), null);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooBig(limit, limitName));
        }
        catch (JsonException)
        {
            return (null, Unreadable(rule));
        }
    }

    private static Refusal UnsupportedMediaType { get; } = new(StatusCodes.Status415UnsupportedMediaType,
        TelemetryNames.RejectionReasons.UnsupportedMediaType, "Unsupported media type", "Send the body as application/json.");

    private static Refusal Unreadable(string rule) => new(StatusCodes.Status400BadRequest, TelemetryNames.RejectionReasons.UnreadableBody,
        "Unreadable body", rule);

    private static Refusal TooBig(int limit, string limitName) => new(StatusCodes.Status413PayloadTooLarge, TelemetryNames.RejectionReasons.TooBig,
        "Body too large", $"This body is limited to {limit} bytes (Limits:{limitName}).");

    private static Refusal TooManyMessages(int count, int max) => new(StatusCodes.Status413PayloadTooLarge,
        TelemetryNames.RejectionReasons.TooManyMessages, "Too many messages",
        $"A batch carries at most {max} messages (Limits:MaxBatchMessages); this one has {count}. Nothing was stored: split it.");
}
