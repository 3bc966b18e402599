using System.Text.Json;
using Notifications.Api.Backplane;

namespace Notifications.UnitTests;

public class StreamSequencerTests
{
    private static readonly JsonElement Data = JsonDocument.Parse("1").RootElement;

    [Fact]
    public void Messages_in_order_are_delivered_as_they_come()
    {
        var sequencer = new StreamSequencer("e1", lastSeq: 0);

        Assert.Equal([1], Seqs(sequencer.Accept(Message(1)).Deliver));
        Assert.Equal([2], Seqs(sequencer.Accept(Message(2)).Deliver));
        Assert.Equal(2, sequencer.LastSeq);
        Assert.Null(sequencer.GapEnd);
    }

    [Fact]
    public void A_duplicate_is_dropped()
    {
        var sequencer = new StreamSequencer("e1", lastSeq: 0);
        sequencer.Accept(Message(1));

        Assert.Empty(sequencer.Accept(Message(1)).Deliver);
        Assert.Equal(1, sequencer.LastSeq);
    }

    [Fact]
    public void A_message_ahead_of_a_missing_one_waits_for_it_and_both_leave_in_order()
    {
        var sequencer = new StreamSequencer("e1", lastSeq: 1);

        Assert.Empty(sequencer.Accept(Message(3)).Deliver);
        Assert.Equal(2, sequencer.GapEnd);
        Assert.Equal([2, 3], Seqs(sequencer.Accept(Message(2)).Deliver));
        Assert.Null(sequencer.GapEnd);
    }

    [Fact]
    public void A_gap_the_history_still_holds_is_filled_from_it_then_the_early_arrivals_follow()
    {
        var sequencer = new StreamSequencer("e1", lastSeq: 1);
        sequencer.Accept(Message(4));
        sequencer.Accept(Message(5));

        var filled = sequencer.Fill(new HistoryRange([Message(2), Message(3)], Complete: true), sequencer.GapEnd!.Value);

        Assert.False(filled.Lost);
        Assert.Equal([2, 3, 4, 5], Seqs(filled.Deliver));
        Assert.Equal(5, sequencer.LastSeq);
    }

    [Fact]
    public void A_gap_the_history_no_longer_holds_is_reported_lost_and_the_stream_goes_on()
    {
        var sequencer = new StreamSequencer("e1", lastSeq: 1);
        sequencer.Accept(Message(4));

        var filled = sequencer.Fill(new HistoryRange([Message(3)], Complete: false), toSeq: 3);

        Assert.True(filled.Lost);
        Assert.Equal(1, filled.FromSeq);
        Assert.Equal([4], Seqs(filled.Deliver));
        Assert.Equal([5], Seqs(sequencer.Accept(Message(5)).Deliver));
    }

    [Fact]
    public void A_new_epoch_starts_the_stream_over_from_the_message_that_brought_it()
    {
        var sequencer = new StreamSequencer("e1", lastSeq: 40);
        sequencer.Accept(Message(42));

        var accepted = sequencer.Accept(Message(1, epoch: "e2"));

        Assert.Equal("e1", accepted.PreviousEpoch);
        Assert.Equal([1], Seqs(accepted.Deliver));
        Assert.Equal("e2", sequencer.Epoch);
        Assert.Null(sequencer.GapEnd);
    }

    [Fact]
    public void A_stream_followed_before_its_first_message_takes_that_message_s_epoch_without_a_resume()
    {
        var sequencer = new StreamSequencer(StreamHead.NoEpoch, lastSeq: 0);

        var accepted = sequencer.Accept(Message(2, epoch: "e1"));

        Assert.Null(accepted.PreviousEpoch);
        Assert.Empty(accepted.Deliver);
        Assert.Equal("e1", sequencer.Epoch);
        Assert.Equal(1, sequencer.GapEnd);
        Assert.Equal([1, 2], Seqs(sequencer.Accept(Message(1, epoch: "e1")).Deliver));
    }

    [Fact]
    public void A_stream_whose_history_vanished_does_not_continue_into_a_new_epoch()
    {
        var sequencer = new StreamSequencer("e1", lastSeq: 5);

        Assert.False(sequencer.TryContinue(StreamHead.NoEpoch));
        Assert.False(sequencer.TryContinue("e2"));
        Assert.True(sequencer.TryContinue("e1"));
        Assert.Equal("e1", sequencer.Epoch);
    }

    [Fact]
    public void A_subscriber_that_read_the_head_after_subscribing_drops_what_the_head_already_covers()
    {
        // Subscribed first, then read head 10: messages 9 and 10 may still arrive on the channel.
        var sequencer = new StreamSequencer("e1", lastSeq: 10);

        Assert.Empty(sequencer.Accept(Message(9)).Deliver);
        Assert.Empty(sequencer.Accept(Message(10)).Deliver);
        Assert.Equal([11], Seqs(sequencer.Accept(Message(11)).Deliver));
    }

    [Fact]
    public void Too_many_early_arrivals_ask_for_the_gap_to_be_filled_at_once()
    {
        var sequencer = new StreamSequencer("e1", lastSeq: 0);
        for (var seq = 2; seq <= StreamSequencer.MaxEarly + 1; seq++)
        {
            sequencer.Accept(Message(seq));
            Assert.False(sequencer.MustFillNow);
        }

        sequencer.Accept(Message(StreamSequencer.MaxEarly + 2));

        Assert.True(sequencer.MustFillNow);
        Assert.Equal(1, sequencer.GapEnd);
    }

    private static NotificationEnvelope Message(long seq, string epoch = "e1") =>
        new(seq, epoch, DateTimeOffset.UnixEpoch, $"m{seq}", "user:alice", null, Data);

    private static long[] Seqs(IEnumerable<NotificationEnvelope> envelopes) => [.. envelopes.Select(envelope => envelope.Seq)];
}
