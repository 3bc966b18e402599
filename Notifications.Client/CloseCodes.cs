namespace Notifications.Client;

/// <summary>The close codes of the wire contract (docs/protocol.md) and what the client does about each.</summary>
public static class CloseCodes
{
    public const int Normal = 1000;
    public const int ProtocolError = 1002;
    public const int UnsupportedData = 1003;
    public const int InvalidPayload = 1007;
    public const int PolicyViolation = 1008;
    public const int MessageTooBig = 1009;
    public const int ServiceRestart = 1012;
    public const int TryAgainLater = 1013;
    public const int SlowConsumer = 4000;
    public const int TokenExpired = 4001;
    public const int ResumeRequired = 4002;

    /// <summary>Codes that say this client sent something wrong: reconnecting would only repeat it.</summary>
    public static bool IsClientError(int code) => code is ProtocolError or UnsupportedData or InvalidPayload or MessageTooBig;

    /// <summary>HTTP answers to the upgrade that retrying cannot fix.</summary>
    public static bool IsFinalRefusal(int status) => status is 400 or 401 or 403 or 404;
}
