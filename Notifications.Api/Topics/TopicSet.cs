using Notifications.Api.Limits;

namespace Notifications.Api.Topics;

/// <summary>
/// The topics one connection holds a backplane reference on, from <c>?topics=</c> and its <c>subscribe</c> frames, in
/// the order they came. Changed only by the connection's receive loop (one frame at a time) and read once it has
/// ended, to give the references back.
/// </summary>
public sealed class TopicSet(IReadOnlyList<string> initial)
{
    private string[] _topics = [.. initial];

    public IReadOnlyList<string> Held => _topics;

    public int Count => _topics.Length;

    /// <summary>The subscribe rate of the connection; made at its first <c>subscribe</c> or <c>unsubscribe</c>.</summary>
    public InboundRate? Rate { get; set; }

    public bool Contains(string topic) => Array.IndexOf(_topics, topic) >= 0;

    public void Add(string topic) => _topics = [.. _topics, topic];

    public void Remove(string topic) => _topics = [.. _topics.Where(held => held != topic)];
}
