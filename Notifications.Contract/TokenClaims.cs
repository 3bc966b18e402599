namespace Notifications.Contract;

/// <summary>What the API reads from a bearer token (HS256 JWT): the user, and the roles it grants.</summary>
public static class TokenClaims
{
    /// <summary>The user id (<see cref="UserIds"/>).</summary>
    public const string Subject = "sub";

    public const string Role = "role";

    /// <summary>The role that may call the publish API.</summary>
    public const string PublisherRole = "publisher";

    /// <summary>Issuer and audience unless the deployment configures others (<c>Auth:Issuer</c>, <c>Auth:Audience</c>).</summary>
    public const string DefaultIssuer = "aspire-notify";
}
