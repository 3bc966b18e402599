namespace Notifications.Web.Account;

/// <summary>What the sign-in page says when it turns someone away.</summary>
public static class SignInRefusal
{
    public const string Off = "Sign-in is off on this deployment: its operator has not set SignIn:AccessCode (and SignIn:SigningKey).";

    public const string WrongCode = "That access code is not the one of this deployment.";

    public const string TooManyAttempts = "Too many sign-in attempts from your address: wait a minute and try again.";
}
