using System.Text.Json;
using Notifications.Api.Publishing;

namespace Notifications.UnitTests;

public class BatchPlanTests
{
    private const int MaxDataBytes = 64;

    private static readonly JsonElement Data = JsonSerializer.SerializeToElement(new { text = "hi" });

    [Fact]
    public void Messages_are_grouped_by_stream_in_request_order_with_their_indexes()
    {
        var plan = BatchPlan.Create(
        [
            BatchMessage.ToUser("alice", Data, "a1"),
            BatchMessage.ToEveryone(Data),
            BatchMessage.ToUser("bob", Data),
            BatchMessage.ToUser("alice", Data, "a2"),
            BatchMessage.ToEveryone(Data, "b2"),
        ], MaxDataBytes);

        Assert.Equal(["user:alice", "broadcast", "user:bob"], plan.Groups.Select(group => group.Stream));
        Assert.Equal(["user", "broadcast", "user"], plan.Groups.Select(group => group.StreamKind));
        Assert.Equal([0, 3], plan.Groups[0].Messages.Select(message => message.Index));
        Assert.Equal(["a1", "a2"], plan.Groups[0].Messages.Select(message => message.IdempotencyKey));
        Assert.Equal([1, 4], plan.Groups[1].Messages.Select(message => message.Index));
        Assert.All(plan.Results, Assert.Null);
    }

    [Theory]
    [InlineData("""{"data":1}""", BatchErrorCodes.InvalidTarget)]
    [InlineData("""{"userId":"alice","broadcast":true,"data":1}""", BatchErrorCodes.InvalidTarget)]
    [InlineData("""{"broadcast":false,"data":1}""", BatchErrorCodes.InvalidTarget)]
    [InlineData("""{"topic":"news","userId":"alice","data":1}""", BatchErrorCodes.InvalidTarget)]
    [InlineData("""{"topic":"news","broadcast":true,"data":1}""", BatchErrorCodes.InvalidTarget)]
    [InlineData("""{"topic":"has space","data":1}""", BatchErrorCodes.InvalidTopic)]
    [InlineData("""{"userId":"has space","data":1}""", BatchErrorCodes.InvalidUserId)]
    [InlineData("""{"userId":"","data":1}""", BatchErrorCodes.InvalidUserId)]
    [InlineData("""{"userId":"alice"}""", BatchErrorCodes.MissingData)]
    [InlineData("""{"broadcast":true,"data":"0123456789012345678901234567890123456789012345678901234567890123"}""", BatchErrorCodes.TooBig)]
    [InlineData("""{"userId":"alice","data":1,"idempotencyKey":"has space"}""", BatchErrorCodes.InvalidIdempotencyKey)]
    [InlineData("null", BatchErrorCodes.InvalidTarget)]
    public void A_message_that_cannot_be_stored_gets_its_error_and_the_others_still_go(string message, string code)
    {
        var messages = JsonSerializer.Deserialize<List<BatchMessage>>($$"""[{"userId":"bob","data":1},{{message}},{"broadcast":true,"data":2}]""",
            JsonSerializerOptions.Web)!;

        var plan = BatchPlan.Create(messages, MaxDataBytes);

        Assert.Equal(code, plan.Results[1]!.Error!.Code);
        Assert.Null(plan.Results[1]!.Seq);
        Assert.Null(plan.Results[0]);
        Assert.Null(plan.Results[2]);
        Assert.Equal(["user:bob", "broadcast"], plan.Groups.Select(group => group.Stream));
    }

    [Fact]
    public void An_error_after_a_valid_target_still_names_the_stream()
    {
        var plan = BatchPlan.Create([BatchMessage.ToUser("alice", Data, "no spaces allowed")], MaxDataBytes);

        Assert.Equal("user:alice", plan.Results[0]!.Stream);
        Assert.Empty(plan.Groups);
    }

    [Fact]
    public void Data_is_measured_in_utf8_bytes_as_it_came()
    {
        // 31 two-byte characters and the quotes are 64 bytes: at the limit; one more character is past it.
        var atLimit = JsonSerializer.Deserialize<BatchMessage>("{\"userId\":\"a\",\"data\":\"" + new string('é', 31) + "\"}", JsonSerializerOptions.Web)!;
        var pastLimit = JsonSerializer.Deserialize<BatchMessage>("{\"userId\":\"a\",\"data\":\"" + new string('é', 32) + "\"}", JsonSerializerOptions.Web)!;

        var plan = BatchPlan.Create([atLimit, pastLimit], MaxDataBytes);

        Assert.Null(plan.Results[0]);
        Assert.Equal(BatchErrorCodes.TooBig, plan.Results[1]!.Error!.Code);
    }
}
