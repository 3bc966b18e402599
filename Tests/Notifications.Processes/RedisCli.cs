using System.Diagnostics;

namespace Notifications.Processes;

/// <summary>
/// Debian's <c>redis-cli</c>, for what only it does (<c>--cluster create</c> assigns the slots and pairs replicas with
/// primaries) and for asking a node about itself, which a cluster-aware client would route elsewhere.
/// </summary>
internal static class RedisCli
{
    /// <summary>Runs redis-cli with the password and <paramref name="arguments"/>; its output, or an exception with it.</summary>
    public static async Task<string> RunAsync(string password, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("redis-cli", ["--no-auth-warning", "-a", password, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = StartOrExplain(info);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"redis-cli {string.Join(' ', info.ArgumentList.Skip(3))} failed with {process.ExitCode}: {await output}{await error}");
        }

        return await output;
    }

    /// <summary>One server's answer to a command, such as <c>CLUSTER INFO</c> or <c>INFO replication</c>.</summary>
    public static Task<string> AskAsync(RedisServerProcess server, params string[] command) =>
        RunAsync(server.Password, ["-h", "127.0.0.1", "-p", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. command]);

    /// <summary>Polls a server until its answer to <paramref name="command"/> contains <paramref name="expected"/>.</summary>
    public static async Task WaitUntilAsync(RedisServerProcess server, string expected, TimeSpan timeout, params string[] command)
    {
        var deadline = Stopwatch.StartNew();
        var answer = "";
        while (deadline.Elapsed < timeout)
        {
            answer = await AskAsync(server, command);
            if (answer.Contains(expected, StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"{server.Endpoint} never answered {string.Join(' ', command)} with {expected}:{Environment.NewLine}{answer}");
    }

    private static Process StartOrExplain(ProcessStartInfo info)
    {
        try
        {
            return Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("redis-cli is not installed: apt-get install -y redis-tools (redis-server brings it).", exception);
        }
    }
}
