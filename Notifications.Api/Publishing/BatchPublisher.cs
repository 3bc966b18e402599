using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Options;
using Notifications.Api.Backplane;
using Notifications.Api.Limits;
using Notifications.Api.Telemetry;
using Polly;

namespace Notifications.Api.Publishing;

/// <summary>
/// Publishes a batch: one script call per stream stores that stream's messages in order, the streams concurrently (the
/// client library pipelines them). A message is reported with its seq only once it is stored and, when replicas must
/// acknowledge, confirmed and published, as a single publish is. When no stream could be stored the whole request is a
/// backplane failure (503); otherwise the failed streams' messages say so one by one.
/// </summary>
public sealed class BatchPublisher(NotificationHistory history, ResiliencePipeline resilience, NotificationsMetrics metrics,
    PublishingLog log, IOptions<LimitsOptions> limits, TimeProvider time)
{
    private const string UnavailableDetail =
        "Redis did not store or confirm this message's stream in time; it may have been stored: retry it with the same idempotency key.";

    /// <summary>One stream's part of the batch: the ids it offered, then what Redis stored or why it did not.</summary>
    private sealed class GroupOutcome(StreamGroup group, string[] ids)
    {
        public StreamGroup Group { get; } = group;

        public string[] Ids { get; } = ids;

        public StoredBatch? Stored { get; set; }

        public Exception? Failure { get; set; }
    }

    /// <param name="checkTopic">Whether the caller may publish to a topic target: null, or the item's error.</param>
    public async Task<PublishBatchResponse> PublishAsync(IReadOnlyList<BatchMessage> messages, Func<string, BatchItemError?>? checkTopic = null)
    {
        var plan = BatchPlan.Create(messages, limits.Value.MaxPublishBodyBytes, checkTopic);
        metrics.BatchReceived(messages.Count);
        using var activity = NotificationsTelemetry.ActivitySource.StartActivity(TelemetryNames.PublishActivity, ActivityKind.Producer);
        activity?.SetTag(TelemetryNames.Tags.MessagingSystem, "redis");
        activity?.SetTag(TelemetryNames.Tags.BatchMessageCount, messages.Count);
        try
        {
            var outcomes = await Task.WhenAll(plan.Groups.Select(group => StoreAsync(group, (activity ?? Activity.Current)?.Id)));
            if (history.ReplicasRequired)
            {
                await ConfirmAsync(outcomes);
            }

            return Answer(plan, outcomes);
        }
        catch (Exception exception)
        {
            activity?.AddException(exception);
            activity?.SetStatus(ActivityStatusCode.Error);
            throw;
        }
    }

    private async Task<GroupOutcome> StoreAsync(StreamGroup group, string? traceParent)
    {
        var now = time.GetUtcNow();
        var ids = group.Messages.Select(_ => Guid.CreateVersion7().ToString("N")).ToArray();
        var entries = group.Messages
            .Select((message, i) => new BatchEntry(ids[i], NotificationEnvelope.Tail(now, ids[i], group.Stream, traceParent, message.Data), message.IdempotencyKey))
            .ToList();
        var outcome = new GroupOutcome(group, ids);
        try
        {
            // The Redis client takes no cancellation token: the wait for its answer is what the timeout cancels.
            outcome.Stored = await resilience.ExecuteAsync(static async (state, cancellationToken) =>
                await state.history.StoreBatchAsync(state.Stream, state.entries).WaitAsync(cancellationToken),
                (history, group.Stream, entries));
        }
        catch (Exception exception) when (BackplaneFailure.Is(exception))
        {
            outcome.Failure = exception;
        }

        return outcome;
    }

    /// <summary>The replicas must hold every stored stream before any of its messages is published or reported.</summary>
    private async Task ConfirmAsync(GroupOutcome[] outcomes)
    {
        var stored = outcomes.Where(outcome => outcome.Stored is not null).ToDictionary(outcome => outcome.Group.Stream, StringComparer.Ordinal);
        try
        {
            var failures = await resilience.ExecuteAsync(static async (state, cancellationToken) =>
                await state.history.ConfirmAsync(state.batches).WaitAsync(cancellationToken),
                (history, batches: stored.Values.Select(outcome => outcome.Stored!).ToList()));
            foreach (var (batch, failure) in failures)
            {
                stored[batch.Stream].Failure = failure;
            }
        }
        catch (Exception exception) when (BackplaneFailure.Is(exception))
        {
            foreach (var outcome in stored.Values)
            {
                outcome.Failure = exception;
            }
        }
    }

    private PublishBatchResponse Answer(BatchPlan plan, GroupOutcome[] outcomes)
    {
        var failed = outcomes.Where(outcome => outcome.Failure is not null).ToList();
        if (failed.Count > 0 && failed.Count == outcomes.Length)
        {
            // Nothing was stored: the request failed as a whole, answered 503 like any publish Redis did not take.
            ExceptionDispatchInfo.Throw(failed[0].Failure!);
        }

        if (failed.Count > 0)
        {
            log.BatchStreamsFailed(failed.Count, outcomes.Length, failed.Sum(outcome => outcome.Group.Messages.Count), failed[0].Failure!);
        }

        foreach (var outcome in outcomes)
        {
            Report(plan.Results, outcome);
        }

        return new PublishBatchResponse(plan.Results!);
    }

    private void Report(BatchItemResult?[] results, GroupOutcome outcome)
    {
        var (group, stored) = (outcome.Group, outcome.Stored);
        var added = 0;
        for (var i = 0; i < group.Messages.Count; i++)
        {
            var published = outcome.Failure is null ? stored!.Published[i] : null;
            results[group.Messages[i].Index] = published is null
                ? new BatchItemResult(null, group.Stream, null, new BatchItemError(BatchErrorCodes.BackplaneUnavailable, UnavailableDetail))
                : new BatchItemResult(published.Id, group.Stream, published.Seq, null);
            added += published?.Id == outcome.Ids[i] ? 1 : 0;
        }

        if (added > 0)
        {
            metrics.Published(group.StreamKind, added);
        }
    }
}
