namespace Notifications.Contract;

/// <summary>The query parameters of <c>GET /ws</c>.</summary>
public static class QueryParameters
{
    /// <summary>The bearer token, for browsers, which cannot set headers on a WebSocket upgrade.</summary>
    public const string AccessToken = "access_token";

    /// <summary>The history epoch the resume positions belong to.</summary>
    public const string Epoch = "epoch";

    /// <summary>Resume positions: <c>stream:seq</c> pairs, comma-separated; each splits at its last colon.</summary>
    public const string Since = "since";

    /// <summary>Topics to receive from the start (v1.1): names, comma-separated; their streams may appear in <see cref="Since"/>.</summary>
    public const string Topics = "topics";
}
