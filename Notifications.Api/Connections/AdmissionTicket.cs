using Notifications.Api.Auth;

namespace Notifications.Api.Connections;

/// <summary>
/// A connection let in by <see cref="WebSocketAdmission"/>: who it is, where it resumes from, and the lease and user
/// subscription it holds until <see cref="WebSocketAdmission.ReleaseAsync"/>.
/// </summary>
public sealed record AdmissionTicket(string ConnectionId, SocketIdentity Identity, ResumeRequest? Resume);
