using System.Buffers;
using System.Text;
using System.Text.Json;
using Notifications.Api.Connections;

namespace Notifications.Api.ServerSentEvents;

/// <summary>
/// Where the client of an event stream stands after each event, written as the event's <c>id</c> (<see cref="EventCursor"/>).
/// The <c>welcome</c> sets it: each stream at the welcome's position, or, for a stream the client resumes, where the
/// client said it was (until its replay arrives); every <c>notification</c> and <c>batch</c> item moves its stream;
/// <c>resumed</c> puts every stream at the welcome's position, where the connection goes live. That is exactly how a
/// WebSocket client moves its own positions, so a reconnect with the last id resumes as one with <c>since</c> would.
/// Read from the frames themselves, so it follows whatever streams the connection has.
/// </summary>
internal sealed class EventPositions(ResumeRequest? resume)
{
    private static readonly byte[] StreamField = Encoding.UTF8.GetBytes(FrameFields.Stream);
    private static readonly byte[] SeqField = Encoding.UTF8.GetBytes(FrameFields.Seq);

    private string[] _streams = [];
    private byte[][] _streamNames = [];
    private string[] _headEpochs = [];
    private long[] _heads = [];
    private string[] _epochs = [];
    private long[] _seqs = [];
    private string _streamsTag = "";

    /// <summary>Moves the positions by a frame of <paramref name="type"/> the connection sends; true when it changed them.</summary>
    public bool Observe(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> type)
    {
        if (type.SequenceEqual(EventFormat.NotificationType))
        {
            return Advance(frame);
        }

        if (type.SequenceEqual(EventFormat.WelcomeType))
        {
            Start(frame);
            return true;
        }

        if (type.SequenceEqual(EventFormat.BatchType))
        {
            AdvanceBatch(frame);
            return true;
        }

        if (type.SequenceEqual(EventFormat.ResumedType))
        {
            (_epochs, _seqs) = ([.. _headEpochs], [.. _heads]);
            return true;
        }

        return false;
    }

    /// <summary>Writes where the client stands now.</summary>
    public void WriteCursor(IBufferWriter<byte> writer) => EventCursor.Write(writer, _streamsTag, _epochs, _seqs);

    private void Start(ReadOnlySpan<byte> welcome)
    {
        var reader = new Utf8JsonReader(welcome);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var positions = root.GetProperty(FrameFields.Positions).EnumerateObject().ToArray();
        _streams = [.. positions.Select(position => position.Name)];
        _streamNames = [.. _streams.Select(Encoding.UTF8.GetBytes)];
        _streamsTag = EventCursor.StreamsTag(_streams);
        _headEpochs = root.GetProperty(FrameFields.Epoch).GetString()!.Split('.');
        _heads = [.. positions.Select(position => position.Value.GetInt64())];
        (_epochs, _seqs) = ([.. _headEpochs], [.. _heads]);
        if (resume is null)
        {
            return;
        }

        var clientEpochs = ConnectionEpoch.Parse(resume.Epoch, _streams);
        for (var i = 0; i < _streams.Length; i++)
        {
            if (resume.Since.TryGetValue(_streams[i], out var since))
            {
                (_epochs[i], _seqs[i]) = (clientEpochs.GetValueOrDefault(_streams[i]) ?? EventCursor.UnknownEpoch, since);
            }
        }
    }

    /// <summary>A notification, alone or as an item: its stream moves to its seq, in the stream's current epoch.</summary>
    private bool Advance(ReadOnlySpan<byte> notification)
    {
        var reader = new Utf8JsonReader(notification);
        var (index, seq) = (-1, -1L);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName && (index < 0 || seq < 0))
        {
            if (reader.ValueTextEquals(StreamField))
            {
                reader.Read();
                index = IndexOf(ref reader);
            }
            else if (reader.ValueTextEquals(SeqField))
            {
                reader.Read();
                seq = reader.GetInt64();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return index >= 0 && seq >= 0 && Move(index, seq);
    }

    private void AdvanceBatch(ReadOnlySpan<byte> batch)
    {
        var reader = new Utf8JsonReader(batch);
        using var document = JsonDocument.ParseValue(ref reader);
        foreach (var item in document.RootElement.GetProperty(FrameFields.Items).EnumerateArray())
        {
            var index = Array.IndexOf(_streams, item.GetProperty(FrameFields.Stream).GetString());
            if (index >= 0)
            {
                Move(index, item.GetProperty(FrameFields.Seq).GetInt64());
            }
        }
    }

    private bool Move(int index, long seq)
    {
        (_epochs[index], _seqs[index]) = (_headEpochs[index], seq);
        return true;
    }

    private int IndexOf(ref Utf8JsonReader reader)
    {
        for (var i = 0; i < _streamNames.Length; i++)
        {
            if (reader.ValueTextEquals(_streamNames[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
