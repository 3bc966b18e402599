using System.Net;
using Notifications.Web.Components.Feed;
using Notifications.WebTests.Infrastructure;

namespace Notifications.WebTests;

public sealed class SendFormTests : WebContext
{
    public SendFormTests() => SignIn("alice", publisher: true, token: "alice-token");

    [Fact]
    public void Text_that_is_not_json_is_refused_before_anything_is_sent()
    {
        var form = Render<SendForm>(parameters => parameters.Add(p => p.DefaultUserId, "bob"));

        form.Find("#send-data").Change("{\"title\": ");
        form.Find("form").Submit();

        Assert.Contains("Not valid JSON", form.Find(".validation-message").TextContent, StringComparison.Ordinal);
        Assert.Empty(Api.Requests);
    }

    [Fact]
    public void A_message_to_one_user_needs_a_valid_user_id()
    {
        var form = Render<SendForm>();

        form.Find("#send-user-id").Change("not valid");
        form.Find("form").Submit();

        Assert.Contains("User ids are 1 to 128 characters", form.Find(".validation-message").TextContent, StringComparison.Ordinal);
        Assert.Empty(Api.Requests);
    }

    [Fact]
    public async Task A_message_to_a_user_is_published_with_the_users_token_and_an_idempotency_key_and_the_receipt_is_shown()
    {
        Api.Answer = _ => StubApi.Json(HttpStatusCode.Accepted, """{"id":"0199abc","stream":"user:bob","seq":42}""");
        var form = Render<SendForm>(parameters => parameters.Add(p => p.DefaultUserId, "bob"));

        form.Find("#send-data").Change("[1, \"two\", null]");
        await form.Find("form").SubmitAsync();

        var request = Assert.Single(Api.Requests);
        Assert.Equal("/api/notifications/users/bob", request.Path);
        Assert.Equal("Bearer alice-token", request.Authorization);
        Assert.Equal(32, request.IdempotencyKey?.Length);
        Assert.Equal("""{"data":[1,"two",null]}""", request.Body);
        Assert.Equal("42", form.Find("[data-testid=send-seq]").TextContent);
        Assert.Contains("0199abc", form.Find("[data-testid=send-result]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_to_a_topic_needs_a_valid_topic_name_and_goes_to_the_topic_endpoint()
    {
        Api.Answer = _ => StubApi.Json(HttpStatusCode.Accepted, """{"id":"0199fed","stream":"topic:team-42","seq":3}""");
        var form = Render<SendForm>();

        form.Find("#send-to-topic").Change("Topic");
        Assert.Empty(form.FindAll("#send-user-id"));
        form.Find("#send-topic").Change("team 42");
        form.Find("form").Submit();
        Assert.Contains("Topic names are 1 to 128 characters", form.Find(".validation-message").TextContent, StringComparison.Ordinal);
        Assert.Empty(Api.Requests);

        form.Find("#send-topic").Change("team-42");
        await form.Find("form").SubmitAsync();

        var request = Assert.Single(Api.Requests);
        Assert.Equal("/api/notifications/topics/team-42", request.Path);
        Assert.Equal("Bearer alice-token", request.Authorization);
        Assert.Equal(32, request.IdempotencyKey?.Length);
        Assert.Equal("3", form.Find("[data-testid=send-seq]").TextContent);
    }

    [Fact]
    public async Task A_broadcast_goes_to_the_broadcast_endpoint_whatever_the_user_id_field_held()
    {
        Api.Answer = _ => StubApi.Json(HttpStatusCode.Accepted, """{"id":"0199def","stream":"broadcast","seq":7}""");
        var form = Render<SendForm>();

        form.Find("#send-to-everyone").Change("Everyone");
        Assert.Empty(form.FindAll("#send-user-id"));
        await form.Find("form").SubmitAsync();

        Assert.Equal("/api/notifications/broadcast", Assert.Single(Api.Requests).Path);
        Assert.Equal("7", form.Find("[data-testid=send-seq]").TextContent);
    }

    [Fact]
    public async Task A_refusal_is_shown_with_what_to_do_about_it()
    {
        Api.Answer = _ => new HttpResponseMessage(HttpStatusCode.Forbidden);
        var form = Render<SendForm>(parameters => parameters.Add(p => p.DefaultUserId, "bob"));

        await form.Find("form").SubmitAsync();

        var alert = form.Find("[data-testid=send-result] [role=alert]").TextContent;
        Assert.Contains("403 Forbidden", alert, StringComparison.Ordinal);
        Assert.Contains("publisher role", alert, StringComparison.Ordinal);
        Assert.Empty(form.FindAll("[data-testid=send-seq]"));
    }

    [Fact]
    public async Task Validation_errors_of_the_api_are_listed_by_field()
    {
        Api.Answer = _ => StubApi.Json(HttpStatusCode.BadRequest,
            """{"title":"One or more validation errors occurred.","errors":{"data":["Too large."]}}""", "application/problem+json");
        var form = Render<SendForm>(parameters => parameters.Add(p => p.DefaultUserId, "bob"));

        await form.Find("form").SubmitAsync();

        Assert.Contains("400 Bad Request: data: Too large.", form.Find("[role=alert]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_without_the_publisher_role_is_told_before_trying()
    {
        SignIn("carol", publisher: false);

        var form = Render<SendForm>();

        Assert.NotNull(form.Find("[data-testid=send-not-publisher]"));
    }
}
