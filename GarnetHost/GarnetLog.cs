namespace GarnetHost;

internal static partial class GarnetLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Garnet is listening on {Bind}:{Port} with password authentication")]
    public static partial void Listening(ILogger logger, string bind, int port);
}
