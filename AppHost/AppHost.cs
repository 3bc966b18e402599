using AppHost;
using AppHost.Backplane;
using Notifications.Contract;

var builder = DistributedApplication.CreateBuilder(args);

// Resources
var jwtSigningKey = builder.AddParameter("jwt-signing-key",
    new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true);
var backplane = builder.AddBackplane();

// Services
var api = builder.AddNotificationsApi(backplane, jwtSigningKey);

// Apps
var web = builder.AddProject<Projects.Notifications_Web>(ServiceNames.Web)
    .WithReference(api.Endpoint).WaitFor(api.FrontDoor)
    // The server calls the API through service discovery; the browser needs the API's own address.
    .WithEnvironment("LiveFeed__ApiUrl", api.Endpoint)
    .WithAccessCodeSignIn(jwtSigningKey)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithoutHttpsCertificate();

api.AllowOrigin(web.GetEndpoint("http"));

builder.Build().Run();
