using Polly.Timeout;
using StackExchange.Redis;

namespace Notifications.Api.Backplane;

public static class BackplaneFailure
{
    /// <summary>Redis did not answer, or not in time: the one test every caller of the backplane uses.</summary>
    public static bool Is(Exception exception) => exception is RedisException or TimeoutException or TimeoutRejectedException;
}
