using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Notifications.Api.Limits;
using Notifications.Api.Publishing;

namespace Notifications.UnitTests;

public class BatchRequestReaderTests
{
    private static readonly PublishRequestReader Reader = new(Options.Create(new LimitsOptions { MaxBatchMessages = 3, MaxBatchBodyBytes = 2048 }));

    [Theory]
    [InlineData("""{"messages":[]}""", 400, "invalid")]
    [InlineData("""{"data":1}""", 400, "invalid")]
    [InlineData("null", 400, "invalid")]
    [InlineData("""{"messages":[""", 400, "unreadable_body")]
    [InlineData("""{"messages":{"userId":"a"}}""", 400, "unreadable_body")]
    [InlineData("""{"messages":[{"broadcast":true,"data":1},{"broadcast":true,"data":2},{"broadcast":true,"data":3},{"broadcast":true,"data":4}]}""",
        413, "too_many_messages")]
    public async Task A_batch_wrong_as_a_whole_is_refused_with_its_reason(string body, int status, string reason)
    {
        var (request, refusal) = await Reader.ReadBatchAsync(Request(body));

        Assert.Null(request);
        Assert.Equal(status, refusal!.Status);
        Assert.Equal(reason, refusal.Reason);
    }

    [Fact]
    public async Task A_body_over_the_batch_limit_gets_413_and_one_at_the_limit_of_messages_is_read()
    {
        var (_, tooBig) = await Reader.ReadBatchAsync(Request($$"""{"messages":[{"broadcast":true,"data":"{{new string('x', 2100)}}"}]}"""));
        var (request, refusal) = await Reader.ReadBatchAsync(Request(
            """{"messages":[{"userId":"a","data":1},{"broadcast":true,"data":2,"idempotencyKey":"k"},{"userId":"b","data":{"n":3}}]}"""));

        Assert.Equal(413, tooBig!.Status);
        Assert.Equal("too_big", tooBig.Reason);
        Assert.Null(refusal);
        Assert.Equal(3, request!.Messages!.Count);
        Assert.Equal("k", request.Messages[1].IdempotencyKey);
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_415()
    {
        var http = Request("""{"messages":[]}""");
        http.ContentType = "text/plain";

        var (_, refusal) = await Reader.ReadBatchAsync(http);

        Assert.Equal(415, refusal!.Status);
    }

    private static HttpRequest Request(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = bytes.Length;
        context.Request.Body = new MemoryStream(bytes);
        return context.Request;
    }
}
