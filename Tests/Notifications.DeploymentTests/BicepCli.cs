using System.ComponentModel;

namespace Notifications.DeploymentTests;

/// <summary>The bicep compiler from the Azure.Bicep.CommandLine package, the one azd itself would download.</summary>
internal static class BicepCli
{
    public static async Task<ProcessResult> RunAsync(params string[] arguments)
    {
        var path = RepositoryFiles.BuildSetting("BicepPath");
        Assert.True(File.Exists(path), $"bicep is not at {path}: restore the test project (the Azure.Bicep.CommandLine.linux-x64 package).");
        try
        {
            return await ProcessRunner.RunAsync(path, arguments, RepositoryFiles.InfraDirectory);
        }
        catch (Win32Exception)
        {
            // The package cache may belong to another user, whose execute bit is the only one set: run a copy.
            return await ProcessRunner.RunAsync(ExecutableCopy(path), arguments, RepositoryFiles.InfraDirectory);
        }
    }

    private static string ExecutableCopy(string path)
    {
        var copy = Path.Combine(Path.GetTempPath(), $"aspirenotify-bicep-{Environment.UserName}", "bicep");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        if (!File.Exists(copy) || new FileInfo(copy).Length != new FileInfo(path).Length)
        {
            File.Copy(path, copy, overwrite: true);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        return copy;
    }
}
