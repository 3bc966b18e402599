using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Notifications.Api.Handshake;

/// <summary>Kestrel's limits on a request head: a longer head, or one with more headers, is left to Kestrel to refuse.</summary>
internal sealed record UpgradeHeadLimits(long MaxBytes, int MaxHeaders)
{
    public static UpgradeHeadLimits Of(KestrelServerLimits limits) =>
        new(limits.MaxRequestLineSize + limits.MaxRequestHeadersTotalSize, limits.MaxRequestHeaderCount);
}
