using AppHost;
using AppHost.Backplane;
using Microsoft.Extensions.Configuration;
using Notifications.Contract;

var builder = DistributedApplication.CreateBuilder(args);

// Resources
var jwtSigningKey = builder.AddParameter("jwt-signing-key",
    new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true);
var redis = builder.AddBackplane();

// Services
var api = builder.AddProject<Projects.Notifications_Api>(ServiceNames.Api)
    .WithReplicas(builder.Configuration.GetValue("NotificationsApi:Replicas", 3))
    .WithReference(redis).WaitFor(redis)
    .WithEnvironment("Auth__SigningKey", jwtSigningKey)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithoutHttpsCertificate()
    .WithApiSettings(builder.Configuration.GetSection("NotificationsApi:Settings"));

// Apps
var web = builder.AddProject<Projects.Notifications_Web>(ServiceNames.Web)
    .WithReference(api).WaitFor(api)
    // The server calls the API through service discovery; the browser needs the API's own address.
    .WithEnvironment("LiveFeed__ApiUrl", api.GetEndpoint("http"))
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithoutHttpsCertificate();

// Pages of the web app open sockets to the API from the browser, so its origin must be allowed.
api.WithEnvironment("Connections__AllowedOrigins__0", web.GetEndpoint("http"));

builder.Build().Run();
