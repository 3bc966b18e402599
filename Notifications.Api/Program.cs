using Notifications.Api.Auth;
using Notifications.Api.Backplane;
using Notifications.Api.Cluster;
using Notifications.Api.Connections;
using Notifications.Api.Health;
using Notifications.Api.Limits;
using Notifications.Api.Publishing;
using Notifications.Api.Refusals;
using Notifications.Api.Telemetry;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNotificationsTelemetry();
builder.AddNotificationsAuth();
builder.AddRedisBackplane();
builder.AddConnections();
builder.AddPublishing();
builder.AddCluster();
builder.AddNotificationsHealth();
builder.AddLimits();
builder.AddRefusals();

var app = builder.Build();

app.UseExceptionHandler();
app.UseWebSockets();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapDefaultEndpoints();
app.MapNotificationsHealth();
app.MapDevTokens(app.Environment);
app.MapNotificationsWebSocket();
app.MapPublishing();
app.MapCluster();

app.Run();
