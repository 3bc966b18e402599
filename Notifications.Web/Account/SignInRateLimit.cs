using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Notifications.Web.Account;

/// <summary>
/// <c>SignIn:AttemptsPerMinute</c> posts of the sign-in form per client address; more are answered 429 with
/// Retry-After. Reading the page is not limited. The address is the client's behind a front door that sets
/// X-Forwarded-For (ASPNETCORE_FORWARDEDHEADERS_ENABLED), so one client cannot lock everyone out.
/// </summary>
public static class SignInRateLimit
{
    public const string PolicyName = "sign-in";
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services) => services.AddRateLimiter(limiter =>
    {
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.AddPolicy(PolicyName, context => HttpMethods.IsPost(context.Request.Method)
            ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = context.RequestServices.GetRequiredService<IOptions<SignInOptions>>().Value.AttemptsPerMinute,
                Window = Window,
                QueueLimit = 0,
            })
            : RateLimitPartition.GetNoLimiter(""));
        limiter.OnRejected = async (rejected, cancellationToken) =>
        {
            var context = rejected.HttpContext;
            context.RequestServices.GetRequiredService<SignInTelemetry>().Refused("rate_limited");
            var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : Window;
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await context.Response.WriteAsync(SignInRefusal.TooManyAttempts, cancellationToken);
        };
    });
}
