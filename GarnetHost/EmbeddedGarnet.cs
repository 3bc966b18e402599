using System.Globalization;
using Garnet;
using Garnet.server.Auth.Settings;

namespace GarnetHost;

/// <summary>Microsoft.Garnet as the development backplane runs it; the integration tests start it the same way.</summary>
public static class EmbeddedGarnet
{
    /// <summary>
    /// A Garnet server with a password and Lua (the atomic publish-and-append script needs it). The memory caps suit a
    /// dev backplane, not a data store.
    /// </summary>
    public static GarnetServer Create(string bind, int port, string password, ILoggerFactory? loggerFactory = null, string memory = "256m",
        string index = "16m")
    {
        string[] arguments =
        [
            "--bind", bind,
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--lua", "true",
            "--memory", memory,
            "--index", index,
        ];
        // cleanupDir must stay false: Garnet's data folder defaults to the working directory, which it would delete.
        return new GarnetServer(arguments, loggerFactory, cleanupDir: false, new PasswordAuthenticationSettings(password));
    }
}
