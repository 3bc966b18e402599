using System.Buffers.Binary;
using System.Text;

namespace Notifications.IntegrationTests.Infrastructure;

/// <summary>
/// Generates hostile WebSocket byte sequences from a seed: random and reserved opcodes, the 7-, 16- and 64-bit length
/// forms (including lengths far larger than what follows), missing masks, reserved bits, fragments out of order,
/// fragmented and oversized control frames, truncated frames, invalid UTF-8, oversized messages and ping floods.
/// </summary>
public sealed class FrameFuzzer(int seed)
{
    private readonly Random _random = new(seed);

    public byte[] NextCase()
    {
        using var output = new MemoryStream();
        var frames = _random.Next(1, 5);
        for (var i = 0; i < frames; i++)
        {
            output.Write(NextFrameSequence());
        }

        var bytes = output.ToArray();
        // A quarter of the cases stop mid-frame, as a client that dies or lies about its length does.
        return _random.Next(4) == 0 && bytes.Length > 1 ? bytes[.._random.Next(1, bytes.Length)] : bytes;
    }

    private byte[] NextFrameSequence() => _random.Next(12) switch
    {
        0 => Frame(fin: true, rsv: 0, opcode: _random.Next(16), mask: true, RandomBytes(_random.Next(0, 200))),
        1 => Frame(fin: true, rsv: _random.Next(1, 8), opcode: 1, mask: true, Encoding.UTF8.GetBytes("""{"type":"ping"}""")),
        2 => Frame(fin: true, rsv: 0, opcode: 1, mask: false, Encoding.UTF8.GetBytes("""{"type":"ping"}""")),
        3 => Frame(fin: true, rsv: 0, opcode: 1, mask: true, [0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xA1]),
        4 => Frame(fin: true, rsv: 0, opcode: 1, mask: true, RandomBytes(_random.Next(4097, 70_000))),
        5 => Fragments(),
        6 => Frame(fin: _random.Next(2) == 0, rsv: 0, opcode: 9 + _random.Next(2), mask: true, RandomBytes(_random.Next(0, 300))),
        7 => Flood(),
        8 => Header(fin: true, opcode: _random.Next(3), mask: true, claimedLength: _random.Next(2) == 0 ? 65_535 : (1L << 40) + _random.Next()),
        9 => Frame(fin: true, rsv: 0, opcode: 8, mask: true, CloseBody()),
        10 => Frame(fin: true, rsv: 0, opcode: 1, mask: true, Encoding.UTF8.GetBytes(RandomJson())),
        _ => Frame(fin: true, rsv: 0, opcode: 2, mask: true, RandomBytes(_random.Next(0, 1000))),
    };

    private byte[] Fragments()
    {
        using var output = new MemoryStream();
        var count = _random.Next(2, 40);
        for (var i = 0; i < count; i++)
        {
            var opcode = i == 0 && _random.Next(3) > 0 ? 1 : 0;
            var interleavedPing = _random.Next(5) == 0;
            output.Write(Frame(fin: i == count - 1, rsv: 0, opcode: opcode, mask: true, RandomBytes(_random.Next(0, 500))));
            if (interleavedPing)
            {
                output.Write(Frame(fin: true, rsv: 0, opcode: 9, mask: true, RandomBytes(4)));
            }
        }

        return output.ToArray();
    }

    private byte[] Flood()
    {
        using var output = new MemoryStream();
        for (var i = 0; i < 300; i++)
        {
            output.Write(Frame(fin: true, rsv: 0, opcode: _random.Next(2) == 0 ? 9 : 10, mask: true, RandomBytes(_random.Next(0, 125))));
        }

        return output.ToArray();
    }

    private byte[] CloseBody() => _random.Next(4) switch
    {
        0 => [],
        1 => [0x03],
        2 => [.. BitConverter.GetBytes((ushort)_random.Next(0, 65_536)), .. RandomBytes(_random.Next(0, 123))],
        _ => [0x03, 0xE8, 0xFF, 0xFE],
    };

    private string RandomJson() => _random.Next(6) switch
    {
        0 => "{}",
        1 => """{"type":42}""",
        2 => """{"type":"subscribe","stream":"user:someone-else"}""",
        3 => "[" + new string('[', _random.Next(1, 5000)),
        4 => """{"type":"ping","t":""" + new string('9', _random.Next(1, 3000)) + "}",
        _ => """{"type":"ping","t":{"nested":[1,2,{"deep":true}]}}""",
    };

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    private byte[] Frame(bool fin, int rsv, int opcode, bool mask, byte[] payload)
    {
        var header = Header(fin, opcode, mask, payload.Length, rsv, out var maskKey);
        if (mask)
        {
            for (var i = 0; i < payload.Length; i++)
            {
                payload[i] ^= maskKey[i % 4];
            }
        }

        return [.. header, .. payload];
    }

    private byte[] Header(bool fin, int opcode, bool mask, long claimedLength) => Header(fin, opcode, mask, claimedLength, 0, out _);

    private byte[] Header(bool fin, int opcode, bool mask, long length, int rsv, out byte[] maskKey)
    {
        var header = new List<byte> { (byte)((fin ? 0x80 : 0) | (rsv << 4) | opcode) };
        var maskBit = mask ? 0x80 : 0;
        if (length < 126)
        {
            header.Add((byte)(maskBit | (int)length));
        }
        else if (length <= ushort.MaxValue)
        {
            header.Add((byte)(maskBit | 126));
            var extended = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(extended, (ushort)length);
            header.AddRange(extended);
        }
        else
        {
            header.Add((byte)(maskBit | 127));
            var extended = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(extended, (ulong)length);
            header.AddRange(extended);
        }

        maskKey = RandomBytes(4);
        if (mask)
        {
            header.AddRange(maskKey);
        }

        return [.. header];
    }
}
