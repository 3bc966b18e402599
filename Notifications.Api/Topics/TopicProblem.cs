namespace Notifications.Api.Topics;

/// <summary>Why a topic was not granted: a code of <see cref="ErrorCodes"/> and a sentence for people.</summary>
public sealed record TopicProblem(string Code, string Detail);
