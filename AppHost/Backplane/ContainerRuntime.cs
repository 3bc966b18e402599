using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace AppHost.Backplane;

/// <summary>Asks the container runtime Aspire would use whether its engine answers, not just whether its CLI exists.</summary>
internal static class ContainerRuntime
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    public static bool Answers(IConfiguration configuration)
    {
        var runtime = configuration["ASPIRE_CONTAINER_RUNTIME"] ?? configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"] ?? "docker";
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (probe is null)
            {
                return false;
            }

            var version = probe.StandardOutput.ReadToEndAsync();
            _ = probe.StandardError.ReadToEndAsync();
            if (!probe.WaitForExit(ProbeTimeout))
            {
                probe.Kill(entireProcessTree: true);
                return false;
            }

            return probe.ExitCode == 0 && !string.IsNullOrWhiteSpace(version.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
