namespace Notifications.Processes;

/// <summary>The checkout the tests run from: the shipped files they read (deploy/, infra/) and the projects they start.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AspireNotify.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("AspireNotify.sln not found above the test output.");
    }
}
