using System.IO.Pipelines;

namespace Notifications.Api.Handshake;

/// <summary>Peeks at a connection's first request head without consuming a byte of it.</summary>
internal static class UpgradeHeadReader
{
    /// <summary>
    /// Reads until the bytes are an upgrade of <c>/ws</c> (returned) or cannot become one (null). Either way they stay
    /// unread, so whoever reads next — Kestrel's HTTP parser, or the handshake — gets them at once.
    /// </summary>
    /// <exception cref="OperationCanceledException">The head did not arrive before <paramref name="deadline"/>.</exception>
    public static async Task<UpgradeHead?> PeekAsync(PipeReader input, UpgradeHeadLimits limits, CancellationToken deadline)
    {
        long examined = 0;
        while (true)
        {
            var result = await input.ReadAsync(deadline);
            var buffer = result.Buffer;
            var status = UpgradeHeadParser.Parse(buffer, limits, out var head);
            if (status == HeadStatus.Incomplete && !result.IsCompleted)
            {
                // All seen, so the next read waits for more bytes.
                input.AdvanceTo(buffer.Start, buffer.End);
                examined = buffer.Length;
                continue;
            }

            // A pipe does not let "examined" move back; left where the last wait put it (short of the new bytes), the
            // next read completes at once.
            input.AdvanceTo(buffer.Start, buffer.GetPosition(examined));
            return head;
        }
    }
}
