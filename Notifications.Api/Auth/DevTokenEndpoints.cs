using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Notifications.Api.Auth;

public static class DevTokenEndpoints
{
    /// <summary>Maps <c>POST /auth/dev-token</c> in Development only; elsewhere the route does not exist (404).</summary>
    public static IEndpointRouteBuilder MapNotificationsDevTokens(this IEndpointRouteBuilder endpoints, IHostEnvironment environment)
    {
        if (!environment.IsDevelopment())
        {
            return endpoints;
        }

        endpoints.MapPost(Routes.DevToken, IssueDevToken)
            .WithTags("Development")
            .WithName("IssueDevToken")
            .WithSummary("Issues a signed token for any user (Development only).")
            .AllowAnonymous();
        return endpoints;
    }

    internal static Results<Ok<DevTokenResponse>, ValidationProblem> IssueDevToken(
        DevTokenRequest request, TokenIssuer issuer, IOptions<AuthOptions> options)
    {
        var errors = Validate(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var token = issuer.Issue(request.UserId!, request.Roles ?? [], options.Value.DevTokenLifetime, request.Topics ?? [], request.PublishTopics ?? []);
        return TypedResults.Ok(new DevTokenResponse(token.AccessToken, token.ExpiresAt));
    }

    internal static Dictionary<string, string[]> Validate(DevTokenRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (!UserIds.IsValid(request.UserId))
        {
            errors["userId"] = [UserIds.Rule];
        }

        var unknown = (request.Roles ?? []).Where(role => !Roles.Known.Contains(role)).ToArray();
        if (unknown.Length > 0)
        {
            errors["roles"] = [$"Unknown roles: {string.Join(", ", unknown)}. Known roles: {string.Join(", ", Roles.Known)}."];
        }

        AddPatternErrors(errors, "topics", request.Topics);
        AddPatternErrors(errors, "publishTopics", request.PublishTopics);
        return errors;
    }

    /// <summary>A pattern is a topic name in which <c>*</c> may stand for any run of name characters.</summary>
    private static void AddPatternErrors(Dictionary<string, string[]> errors, string field, string[]? patterns)
    {
        var invalid = (patterns ?? []).Where(pattern => !TopicNames.IsValid(pattern.Replace(TopicPatterns.Wildcard, 'x'))).ToArray();
        if (invalid.Length > 0)
        {
            errors[field] = [$"Not topic patterns: {string.Join(", ", invalid)}. {TopicNames.Rule} '*' stands for any run of them."];
        }
    }
}
