using Notifications.Api.Auth;
using Notifications.Api.Backplane;
using Notifications.Api.Cluster;
using Notifications.Api.Connections;
using Notifications.Api.FrontDoor;
using Notifications.Api.Handshake;
using Notifications.Api.Health;
using Notifications.Api.Limits;
using Notifications.Api.Publishing;
using Notifications.Api.Refusals;
using Notifications.Api.ServerSentEvents;
using Notifications.Api.Telemetry;
using Notifications.Api.Topics;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNotificationsTelemetry();
builder.AddNotificationsAuth();
builder.AddNotificationsBackplane();
builder.AddNotificationsConnections();
builder.AddNotificationsPublishing();
builder.AddNotificationsTopics();
builder.AddNotificationsCluster();
builder.AddNotificationsHealth();
builder.AddNotificationsLimits();
builder.AddNotificationsRefusals();
builder.AddNotificationsFrontDoor();
builder.AddNotificationsHandshake();

var app = builder.Build();

app.UseNotificationsFrontDoor();
app.UseExceptionHandler();
app.UseWebSockets();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapDefaultEndpoints();
app.MapNotificationsHealth();
app.MapNotificationsDevTokens(app.Environment);
app.MapNotificationsWebSocket();
app.MapNotificationsServerSentEvents();
app.MapNotificationsPublishing();
app.MapNotificationsTopics();
app.MapNotificationsCluster();

app.Run();
