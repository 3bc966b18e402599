using Notifications.Api.Backplane;

namespace Notifications.UnitTests;

public class ReplicaWaitBatchTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_lone_caller_gets_a_wait_of_its_own()
    {
        var server = new ScriptedServer();
        var batch = new ReplicaWaitBatch(server.WaitAsync);

        var first = batch.WaitAsync();
        server.Answer(0, 1);

        Assert.Equal(1, await first.WaitAsync(Timeout));
        Assert.Equal(1, server.Sent);
    }

    [Fact]
    public async Task Callers_during_a_wait_share_the_next_one_and_never_the_one_sent_before_them()
    {
        var server = new ScriptedServer();
        var batch = new ReplicaWaitBatch(server.WaitAsync);

        var first = batch.WaitAsync();
        var second = batch.WaitAsync();
        var third = batch.WaitAsync();
        Assert.Equal(1, server.Sent);

        server.Answer(0, 1);
        Assert.Equal(1, await first.WaitAsync(Timeout));
        Assert.False(second.IsCompleted);
        await server.SentAtLeast(2).WaitAsync(Timeout);

        server.Answer(1, 2);
        Assert.Equal(2, await second.WaitAsync(Timeout));
        Assert.Equal(2, await third.WaitAsync(Timeout));
        Assert.Equal(2, server.Sent);
    }

    [Fact]
    public async Task A_failed_wait_fails_its_callers_only_and_the_next_caller_sends_again()
    {
        var server = new ScriptedServer();
        var batch = new ReplicaWaitBatch(server.WaitAsync);

        var failed = batch.WaitAsync();
        server.Fail(0, new InvalidOperationException("connection lost"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => failed.WaitAsync(Timeout));

        var next = batch.WaitAsync();
        server.Answer(1, 1);
        Assert.Equal(1, await next.WaitAsync(Timeout));
    }

    /// <summary>A server whose WAITs answer when the test says so, in the order they were sent.</summary>
    private sealed class ScriptedServer
    {
        private readonly List<TaskCompletionSource<long>> _waits = [];
        private readonly List<(int Count, TaskCompletionSource Reached)> _watchers = [];

        public int Sent
        {
            get { lock (_waits) { return _waits.Count; } }
        }

        public Task<long> WaitAsync()
        {
            var wait = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_waits)
            {
                _waits.Add(wait);
                foreach (var watcher in _watchers.Where(w => _waits.Count >= w.Count))
                {
                    watcher.Reached.TrySetResult();
                }
            }

            return wait.Task;
        }

        public Task SentAtLeast(int count)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_waits)
            {
                if (_waits.Count >= count)
                {
                    return Task.CompletedTask;
                }

                _watchers.Add((count, reached));
            }

            return reached.Task;
        }

        public void Answer(int index, long replicas) => Wait(index).SetResult(replicas);

        public void Fail(int index, Exception exception) => Wait(index).SetException(exception);

        private TaskCompletionSource<long> Wait(int index)
        {
            lock (_waits)
            {
                return _waits[index];
            }
        }
    }
}
