using Notifications.Web.Components.Feed;
using Notifications.Web.Feed;
using Notifications.WebTests.Infrastructure;

namespace Notifications.WebTests;

public sealed class ConnectionCardTests : WebContext
{
    [Fact]
    public void A_reconnecting_connection_shows_its_attempt_and_why_it_closed()
    {
        var card = RenderCard(ConnectionStatus.Connecting with
        {
            State = ConnectionStates.Reconnecting,
            Attempt = 2,
            CloseCode = 1006,
            CloseCodes = [1012, 1006],
        });

        Assert.Equal("reconnecting (attempt 3)", card.Find("[data-testid=connection-state]").TextContent);
        Assert.Equal("1006 connection lost or refused", card.Find("[data-testid=connection-close]").TextContent);
        Assert.Equal("1012 → 1006", card.Find("[data-testid=connection-closes]").TextContent);
    }

    [Fact]
    public void A_resume_that_could_not_recover_names_the_reason_and_streams()
    {
        var card = RenderCard(ConnectionStatus.Connecting with
        {
            State = ConnectionStates.Open,
            LastResume = new ResumeOutcome(false, 0, "epoch_changed", ["user:alice", "broadcast"]),
        });

        Assert.Equal("not recovered (epoch_changed: user:alice, broadcast)", card.Find("[data-testid=connection-resume]").TextContent.Trim());
    }

    [Fact]
    public void Positions_are_listed_per_stream()
    {
        var card = RenderCard(ConnectionStatus.Connecting with
        {
            Positions = new Dictionary<string, long> { ["user:alice"] = 41, ["broadcast"] = 1020 },
        });

        Assert.Equal(["broadcast 1020", "user:alice 41"],
            card.FindAll("[data-testid=connection-positions] span").Select(position => position.TextContent));
    }

    private IRenderedComponent<ConnectionCard> RenderCard(ConnectionStatus status)
    {
        var feed = new LiveFeed();
        feed.Update(feed.Add(), status);
        return Render<ConnectionCard>(parameters => parameters.Add(p => p.Connection, feed.Connections[0]));
    }
}
