namespace AppHost;

public static class WebSignIn
{
    public const string AccessCodeParameter = "web-access-code";

    /// <summary>
    /// A deployment's test client signs people in with a generated access code and mints their tokens with the API's
    /// key (the API's development token endpoint exists in Development only). A local run keeps development tokens.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithAccessCodeSignIn(this IResourceBuilder<ProjectResource> web,
        IResourceBuilder<ParameterResource> signingKey)
    {
        var builder = web.ApplicationBuilder;
        if (!builder.ExecutionContext.IsPublishMode)
        {
            return web;
        }

        var accessCode = builder.AddParameter(AccessCodeParameter,
            new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);
        return web
            .WithEnvironment("SignIn__AccessCode", accessCode)
            .WithEnvironment("SignIn__SigningKey", signingKey);
    }
}
