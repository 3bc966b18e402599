using Notifications.Api.Auth;
using Notifications.Api.Topics;

namespace Notifications.Api.Connections;

/// <summary>
/// A connection let in by <see cref="WebSocketAdmission"/>: who it is, where it resumes from, the topics it reads from
/// the start (<see cref="Topics"/>, in the query's order) and the lease, user and topic subscriptions it holds until
/// <see cref="WebSocketAdmission.ReleaseAsync"/>.
/// </summary>
public sealed record AdmissionTicket(string ConnectionId, SocketIdentity Identity, ResumeRequest? Resume, IReadOnlyList<string> Topics)
{
    /// <summary>The topics the connection holds now: those of the query, then changed by its subscribe frames.</summary>
    public TopicSet Held { get; } = new(Topics);
}
