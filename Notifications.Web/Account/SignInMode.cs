namespace Notifications.Web.Account;

/// <summary>How the test client gets API tokens for the people who sign in.</summary>
public enum SignInMode
{
    /// <summary>Nobody can sign in: no access code is set and this is not Development.</summary>
    Off,

    /// <summary>Anyone with the deploy-time access code; the web app mints the token with the deployment's key.</summary>
    AccessCode,

    /// <summary>Anyone, with a token from the API's development endpoint (Development only).</summary>
    DevelopmentToken,
}
