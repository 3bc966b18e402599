namespace Notifications.Api.Backplane;

/// <summary>
/// Coalesces the <c>WAIT</c>s asked of one primary. Redis runs nothing else of a connection while a <c>WAIT</c> blocks it,
/// so one <c>WAIT</c> per publish would queue every publish behind the one before's replication round trip. Instead at
/// most one is in flight, and everyone who asks meanwhile shares the next one, sent when it returns: a <c>WAIT</c> covers
/// every write its connection made before it, and each caller's write completed before the caller asked.
/// </summary>
public sealed class ReplicaWaitBatch(Func<Task<long>> wait)
{
    private readonly Lock _gate = new();
    private TaskCompletionSource<long>? _next;
    private bool _inFlight;

    /// <summary>How many replicas acknowledged a <c>WAIT</c> sent after this call.</summary>
    public Task<long> WaitAsync()
    {
        TaskCompletionSource<long> batch;
        lock (_gate)
        {
            batch = _next ??= new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_inFlight)
            {
                return batch.Task;
            }

            _inFlight = true;
            _next = null;
        }

        _ = SendAsync(batch);
        return batch.Task;
    }

    private async Task SendAsync(TaskCompletionSource<long>? batch)
    {
        while (batch is not null)
        {
            try
            {
                batch.SetResult(await wait());
            }
            catch (Exception exception)
            {
                batch.SetException(exception);
            }

            lock (_gate)
            {
                batch = _next;
                _next = null;
                _inFlight = batch is not null;
            }
        }
    }
}
