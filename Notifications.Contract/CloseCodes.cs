namespace Notifications.Contract;

/// <summary>The close codes of the wire contract (docs/protocol.md, "Close codes"); a client decides from the code what to do.</summary>
public static class CloseCodes
{
    public const int Normal = 1000;
    public const int ProtocolError = 1002;

    /// <summary>The client sent a binary frame.</summary>
    public const int UnsupportedData = 1003;

    /// <summary>The client sent text that is not a JSON object with a string <c>type</c>, or invalid UTF-8.</summary>
    public const int InvalidPayload = 1007;

    /// <summary>The client sent messages faster than allowed.</summary>
    public const int PolicyViolation = 1008;

    public const int MessageTooBig = 1009;

    /// <summary>The replica is restarting or scaling in; reconnect (with backoff) and resume.</summary>
    public const int ServiceRestart = 1012;

    /// <summary>The replica could not reach Redis while the connection started; reconnect with backoff.</summary>
    public const int TryAgainLater = 1013;

    /// <summary>The client did not read fast enough and its outbound queue filled up; reconnect and resume.</summary>
    public const int SlowConsumer = 4000;

    /// <summary>The token the connection was opened with expired; get a fresh token, reconnect and resume.</summary>
    public const int TokenExpired = 4001;

    /// <summary>The history of one of the client's streams changed under it (new epoch, lost gap); reconnect and resume.</summary>
    public const int ResumeRequired = 4002;

    /// <summary>Codes that say this client sent something wrong: reconnecting would only repeat it.</summary>
    public static bool IsClientError(int code) => code is ProtocolError or UnsupportedData or InvalidPayload or MessageTooBig;

    /// <summary>HTTP answers to the upgrade that retrying cannot fix.</summary>
    public static bool IsFinalRefusal(int status) => status is 400 or 401 or 403 or 404;
}
