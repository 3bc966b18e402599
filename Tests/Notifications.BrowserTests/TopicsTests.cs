using System.Text.RegularExpressions;
using Notifications.BrowserTests.Infrastructure;

namespace Notifications.BrowserTests;

[Collection(BrowserAppHost.Name)]
public sealed class TopicsTests(BrowserAppHostFixture fixture)
{
    [Fact]
    public async Task A_message_to_a_topic_reaches_the_pages_subscribed_to_it_and_not_the_others_and_presence_counts_them()
    {
        await using var aliceSession = await fixture.NewSessionAsync();
        await using var bobSession = await fixture.NewSessionAsync();
        var alice = await aliceSession.SignInAsync(UserSession.NewUserId("alice"), publisher: true);
        var bob = await bobSession.SignInAsync(UserSession.NewUserId("bob"), publisher: false);
        var topic = $"team-{Guid.NewGuid():N}"[..13];
        var stream = $"topic:{topic}";

        await alice.SubscribeAsync(topic);
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Open another connection" }).ClickAsync();
        await alice.WaitUntilOpenAsync(2);
        await Expect(alice.TopicState(topic, 2)).ToHaveAttributeAsync("data-state", "subscribed");
        // Presence comes from the replicas' reports: both connections of one user, within a report interval or two.
        await Expect(alice.Presence(topic)).ToContainTextAsync(new Regex("^2 connections, 1 users"));

        var seq = await alice.SendToTopicAsync(topic, """{"title":"Team meeting"}""");

        Assert.Equal(1, seq);
        await Expect(alice.Notification(stream, seq)).ToContainTextAsync("#1 #2");
        // Bob gets a broadcast published after the topic message, and nothing of the topic.
        var broadcast = await alice.BroadcastAsync("""{"title":"after the topic"}""");
        await Expect(bob.Notification("broadcast", broadcast)).ToBeVisibleAsync();
        await Expect(bob.Notifications(stream)).ToHaveCountAsync(0);

        await bob.SubscribeAsync(topic);
        await Expect(alice.Presence(topic)).ToContainTextAsync(new Regex("^3 connections, 2 users"));
        var next = await alice.SendToTopicAsync(topic, """{"title":"Bob joined"}""");
        await Expect(bob.Notification(stream, next)).ToBeVisibleAsync();
        await Expect(bob.Notifications(stream)).ToHaveCountAsync(1);
        await alice.ScreenshotAsync("live-topics");

        await alice.Page.GetByRole(AriaRole.Button, new() { Name = $"Unsubscribe from {topic}" }).ClickAsync();
        var last = await alice.SendToTopicAsync(topic, """{"title":"Alice left"}""");
        await Expect(bob.Notification(stream, last)).ToBeVisibleAsync();
        await Expect(alice.Notifications(stream)).ToHaveCountAsync(2);
    }
}
