using Microsoft.AspNetCore.Authorization;

namespace Notifications.Api.Refusals;

public static class RefusalsExtensions
{
    /// <summary>One way to answer a refusal, whoever refuses: endpoints, the rate limiter, authorization, a Redis failure.</summary>
    public static IHostApplicationBuilder AddNotificationsRefusals(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BackplaneExceptionHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, RefusingAuthorizationResultHandler>();
        builder.Services.AddSingleton<RefusalLog>();
        builder.Services.AddSingleton<RefusalWriter>();
        return builder;
    }
}
