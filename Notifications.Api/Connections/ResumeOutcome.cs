namespace Notifications.Api.Connections;

/// <summary>How a resume went; <see cref="Reason"/> and <see cref="UnrecoveredStreams"/> say why not, when not.</summary>
public sealed record ResumeOutcome(bool Recovered, int Missed, string? Reason, IReadOnlyList<string> UnrecoveredStreams);
