namespace Notifications.Api.Telemetry;

/// <summary>The names and tags the dashboards and alerts depend on: change them only together with docs.</summary>
public static class TelemetryNames
{
    /// <summary>The meter and the activity source of the service.</summary>
    public const string Source = "AspireNotify.Notifications";

    public const string ConnectionsActive = "notifications.connections.active";
    public const string UsersActive = "notifications.users.active";
    public const string MessagesPublished = "notifications.messages.published";
    public const string MessagesDelivered = "notifications.messages.delivered";
    public const string DeliveriesFailed = "notifications.deliveries.failed";
    public const string DeliveryLatency = "notifications.delivery.latency";
    public const string ConnectionDuration = "notifications.connection.duration";
    public const string ConnectionsRejected = "notifications.connections.rejected";
    public const string ConnectionsAborted = "notifications.connections.aborted";
    public const string FramesRejected = "notifications.frames.rejected";
    public const string PublishesRejected = "notifications.publishes.rejected";
    public const string RequestsRejected = "notifications.requests.rejected";
    public const string HousekeepingDuration = "notifications.housekeeping.duration";
    public const string ReplicationWait = "notifications.backplane.replication.duration";
    public const string BatchSize = "notifications.publish.batch.size";
    public const string TopicRequests = "notifications.topic.requests";
    public const string TopicsActive = "notifications.topics.active";

    public const string PublishActivity = "notifications.publish";
    public const string DeliverActivity = "notifications.deliver";

    public static class Tags
    {
        public const string StreamKind = "stream.kind";
        public const string Reason = "reason";
        public const string Transport = "notifications.transport";
        public const string MessagingSystem = "messaging.system";
        public const string MessagingDestination = "messaging.destination.name";
        public const string MessageId = "messaging.message.id";
        public const string Recipients = "notifications.recipients";
        public const string BatchMessageCount = "messaging.batch.message_count";
        public const string Seq = "notifications.seq";
        public const string Operation = "notifications.operation";
        public const string Outcome = "outcome";
        public const string DbSystem = "db.system.name";
        public const string DbOperation = "db.operation.name";
        public const string DbQuerySummary = "db.query.summary";
    }

    /// <summary>How a connection reaches its client (tag <c>notifications.transport</c> of the connection metrics).</summary>
    public static class Transports
    {
        public const string WebSocket = "websocket";
        public const string ServerSentEvents = "sse";
    }

    public static class StreamKinds
    {
        public const string User = "user";
        public const string Broadcast = "broadcast";
        public const string Topic = "topic";
    }

    /// <summary>What a client asked of its topics (tag <c>notifications.operation</c> of <see cref="TopicRequests"/>).</summary>
    public static class TopicOperations
    {
        public const string Subscribe = "subscribe";
        public const string Unsubscribe = "unsubscribe";
    }

    /// <summary>Why an upgrade, a client frame or a publish was refused (tag <c>reason</c>).</summary>
    public static class RejectionReasons
    {
        public const string Origin = "origin";
        public const string Unauthenticated = "unauthenticated";
        public const string Forbidden = "forbidden";
        public const string NotWebSocket = "not_websocket";
        public const string NotReady = "not_ready";
        public const string UnsupportedMediaType = "unsupported_media_type";
        public const string UnreadableBody = "unreadable_body";
        public const string ResumePosition = "resume_position";
        public const string Draining = "draining";
        public const string Capacity = "capacity";
        public const string UserLimit = "user_limit";
        public const string Backplane = "backplane";
        public const string RateLimited = "rate_limited";
        public const string Binary = "binary";
        public const string InvalidJson = "invalid_json";
        public const string TooBig = "too_big";
        public const string TooManyMessages = "too_many_messages";
        public const string ProtocolError = "protocol_error";
        public const string Invalid = "invalid";
        public const string InvalidTopic = "invalid_topic";
        public const string TooManyTopics = "too_many_topics";
        public const string TopicForbidden = "topic_forbidden";
    }

    /// <summary>Why a connection ended (tag <c>reason</c> of <see cref="ConnectionDuration"/>).</summary>
    public static class CloseReasons
    {
        /// <summary>The client closed, with a handshake.</summary>
        public const string ClientClosed = "client_closed";

        /// <summary>The peer went away without a close handshake (reset, network lost, process killed).</summary>
        public const string ConnectionLost = "connection_lost";

        /// <summary>The peer stopped answering pings within <c>Connections:KeepAliveTimeout</c>: aborted.</summary>
        public const string KeepAliveTimeout = "keepalive_timeout";

        /// <summary>The server closed and the peer did not finish the close handshake within <c>Connections:CloseTimeout</c>: aborted.</summary>
        public const string CloseTimeout = "close_timeout";

        /// <summary>The client broke the WebSocket protocol (1002, or 1007 for invalid UTF-8), answered by the framework.</summary>
        public const string ProtocolError = "protocol_error";

        public const string SlowConsumer = "slow_consumer";
        public const string TokenExpired = "token_expired";
        public const string ResumeRequired = "resume_required";
        public const string ServiceRestart = "service_restart";
        public const string Backplane = "backplane";
    }

    /// <summary>Background work counted in <see cref="HousekeepingDuration"/> (tag <c>notifications.operation</c>), never traced.</summary>
    public static class Housekeeping
    {
        public const string ClusterReport = "cluster_report";
        public const string ClusterRemove = "cluster_remove";
        public const string LeaseRenewal = "lease_renewal";
        public const string LeaseRelease = "lease_release";
        public const string Unsubscribe = "unsubscribe";
        public const string PresenceReport = "presence_report";
        public const string PresenceEvent = "presence_event";
    }

    public static class FailureReasons
    {
        /// <summary>The connection's outbound queue was full; the client must resume.</summary>
        public const string SlowConsumer = "slow_consumer";

        /// <summary>Writing to the socket failed (peer gone, connection reset).</summary>
        public const string SocketError = "socket_error";

        /// <summary>The connection was already closing when the message arrived.</summary>
        public const string ConnectionClosing = "connection_closing";

        /// <summary>A message on a backplane channel that is not a readable envelope.</summary>
        public const string InvalidEnvelope = "invalid_envelope";
    }
}
