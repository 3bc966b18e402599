using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Notifications.Api.Refusals;

/// <summary>A request without a valid token (401) or without the role it needs (403) is a refusal like any other.</summary>
internal sealed class RefusingAuthorizationResultHandler(RefusalWriter refusals) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult) =>
        authorizeResult switch
        {
            { Challenged: true } => refusals.WriteAsync(context, Refusal.Unauthenticated),
            { Forbidden: true } => refusals.WriteAsync(context, Refusal.Forbidden),
            _ => _default.HandleAsync(next, context, policy, authorizeResult),
        };
}
