namespace AspireNotify.Bench.Planning;

/// <summary>The measured unit costs the capacity model multiplies (read by <see cref="MeasuredFigures"/>).</summary>
public sealed record CapacityFigures(ReplicaFigures Replica, RedisFigures Redis);

/// <summary>What one API replica spends.</summary>
/// <param name="ConnectionKiB">Working set per idle connection on one replica.</param>
/// <param name="BaseMiB">Working set of a replica holding no connection.</param>
/// <param name="SoakWorkingSetMiB">The highest working set of a soak replica under steady traffic, after warm-up.</param>
/// <param name="SoakConnections">The connections each soak replica held meanwhile.</param>
/// <param name="ConnectMs">CPU per connection opened (and held for the measured hold).</param>
/// <param name="PublishUs">CPU per per-user publish through HTTP, including its one delivery.</param>
/// <param name="DeliveryUs">CPU per broadcast delivery (one frame to one socket).</param>
/// <param name="Wait1PublishesPerReplica">Per-user publishes/s one replica sustained with WAIT 1: a cap, not CPU.</param>
public sealed record ReplicaFigures(double ConnectionKiB, double BaseMiB, double SoakWorkingSetMiB, double SoakConnections,
    double ConnectMs, double PublishUs, double DeliveryUs, double Wait1PublishesPerReplica);

/// <summary>What Redis spends; a rate "per core" is what one redis-server process carries at one core (its limit).</summary>
/// <param name="ConnectUs">CPU per connection opened (lease, subscription).</param>
/// <param name="StandalonePublishesPerCore">Per-user publishes per core of one standalone redis-server.</param>
/// <param name="ClusterPublishesPerCore">The same per cluster primary: the cluster's rate at one core on its busiest ÷ its primaries.</param>
/// <param name="Wait0PublishesPerCore">The same on a primary with one replica, WAIT 0.</param>
/// <param name="Wait1PublishesPerCore">The same on a primary with one replica, WAIT 1.</param>
/// <param name="BroadcastsPerCore">Broadcasts per core of one standalone redis-server, to <paramref name="BroadcastSubscribers"/>.</param>
/// <param name="BroadcastSubscribers">Subscribers of the broadcast channel when <paramref name="BroadcastsPerCore"/> was measured.</param>
/// <param name="SubscriberUs">CPU each further subscriber of a channel adds to a message.</param>
public sealed record RedisFigures(double ConnectUs, double StandalonePublishesPerCore, double ClusterPublishesPerCore,
    double Wait0PublishesPerCore, double Wait1PublishesPerCore, double BroadcastsPerCore, double BroadcastSubscribers, double SubscriberUs);
