using Microsoft.AspNetCore.Diagnostics;
using Notifications.Api.Backplane;

namespace Notifications.Api.Refusals;

/// <summary>
/// "Redis did not answer" becomes <see cref="Refusal.BackplaneUnavailable"/> wherever it happens before a response
/// started: endpoints let those exceptions through instead of catching them one by one.
/// </summary>
internal sealed class BackplaneExceptionHandler(RefusalWriter refusals) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!BackplaneFailure.Is(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }

        await refusals.WriteAsync(httpContext, Refusal.BackplaneUnavailable);
        return true;
    }
}
