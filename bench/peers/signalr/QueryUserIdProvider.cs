using Microsoft.AspNetCore.SignalR;

namespace SignalRPeer;

/// <summary>The user is whoever the query says (<c>/hub?userId=alice</c>): the bench measures delivery, not auth.</summary>
public sealed class QueryUserIdProvider : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) => connection.GetHttpContext()?.Request.Query["userId"];
}
