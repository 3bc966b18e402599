using Microsoft.AspNetCore.SignalR;
using SignalRPeer;
using StackExchange.Redis;

// ASP.NET Core SignalR with its StackExchangeRedis backplane, written for bench/run.sh compare: a hub at /hub, the user
// id from the query (no auth), Clients.User(id) and Clients.All behind the same publish routes and /health/websocket
// shape as AspireNotify, so the same load tool drives both.
var builder = WebApplication.CreateBuilder(args);
var redis = builder.Configuration.GetConnectionString("redis")
    ?? throw new InvalidOperationException("ConnectionStrings:redis is required.");
builder.Services.AddSignalR().AddStackExchangeRedis(redis, options => options.Configuration.ChannelPrefix = RedisChannel.Literal("signalr"));
builder.Services.AddSingleton<IUserIdProvider, QueryUserIdProvider>();
builder.Services.AddSingleton<HubConnections>();

var app = builder.Build();
app.UseWebSockets();
app.MapHub<NotificationHub>("/hub");
app.MapPublishEndpoints();
app.MapGet("/health/websocket", (HubConnections connections, IConfiguration configuration) => TypedResults.Ok(new
{
    // The backplane's Redis connection is private to SignalR's lifetime manager: there is nothing to ask it.
    Healthy = true,
    Node = configuration["NODE_NAME"] ?? Environment.MachineName,
    Connections = new { Total = connections.Total, Users = connections.Users },
    Memory = new { WorkingSetBytes = Environment.WorkingSet, GcHeapBytes = GC.GetGCMemoryInfo().HeapSizeBytes },
    Timestamp = DateTimeOffset.UtcNow,
}));
app.Run();
