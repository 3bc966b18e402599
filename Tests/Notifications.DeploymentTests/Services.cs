namespace Notifications.DeploymentTests;

/// <summary>The manifest resource names azd deploys, one container app each.</summary>
internal static class Services
{
    public const string Api = ServiceNames.Api;
    public const string Web = ServiceNames.Web;
    public const string Redis = Notifications.Api.Backplane.BackplaneExtensions.ConnectionName;
}
