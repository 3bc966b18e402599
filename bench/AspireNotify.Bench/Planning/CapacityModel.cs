namespace AspireNotify.Bench.Planning;

/// <summary>
/// The capacity model of docs/scaling.md: measured unit costs × the asked-for load, divided by what one replica or one
/// redis-server core may use. Linear throughout: CPU per message fell as rates rose in every measurement, so it errs high.
/// </summary>
public static class CapacityModel
{
    public static CapacityPlan Plan(PlanAssumptions a, CapacityFigures f)
    {
        var memory = Memory(a, f.Replica);
        var cpu = Cpu(a, f.Replica);
        var before = Math.Max(1, Math.Max(memory.Replicas, cpu.Replicas));
        var wait = a.Wait && a.Publishes > 0 ? Wait(a, f.Replica, Redis(a, f.Redis, before).Primaries) : null;
        var replicas = Math.Max(before, wait?.Replicas ?? 0);
        var limitedBy = new[] { (memory.Replicas, "memory"), (cpu.SteadyReplicas, "steady CPU"), (cpu.StormReplicas, "CPU in a reconnect storm"),
            (wait?.Replicas ?? 0, "WAIT's publish rate per replica") }.MaxBy(limit => limit.Item1).Item2;
        // More replicas subscribe to the broadcast channel: Redis is planned for the final count.
        return new CapacityPlan(a, f, memory, cpu, wait, Redis(a, f.Redis, replicas), replicas, limitedBy);
    }

    public static MemoryStep Memory(PlanAssumptions a, ReplicaFigures f)
    {
        var traffic = Math.Max(0, f.SoakWorkingSetMiB - f.BaseMiB - f.SoakConnections * f.ConnectionKiB / 1024);
        var usable = a.ReplicaMemoryGiB * 1024 * a.Usable;
        var perReplica = (long)Math.Floor((usable - f.BaseMiB - traffic) * 1024 / f.ConnectionKiB);
        var replicas = perReplica < 1 ? int.MaxValue : CeilingOf(a.Connections / (double)perReplica);
        return new MemoryStep(traffic, usable, Math.Max(0, perReplica), replicas);
    }

    public static CpuStep Cpu(PlanAssumptions a, ReplicaFigures f)
    {
        // The measured publish includes one delivery; a user's further connections each cost a delivery more.
        var publish = a.Publishes * (f.PublishUs + (a.ConnectionsPerUser - 1) * f.DeliveryUs) / 1e6;
        var deliveries = a.Broadcasts * a.Connections;
        var broadcast = deliveries * f.DeliveryUs / 1e6;
        var reconnects = a.ReconnectShare * a.Connections / a.ReconnectSeconds;
        var storm = reconnects * f.ConnectMs / 1000;
        return new CpuStep(publish, deliveries, broadcast, reconnects, storm,
            CeilingOf((publish + broadcast) / (a.ReplicaCores * a.Usable)), CeilingOf((publish + broadcast + storm) / a.ReplicaCores));
    }

    /// <summary>WAIT blocks the replica's one multiplexed connection to a primary, so the cap is per connection: per primary.</summary>
    public static WaitStep Wait(PlanAssumptions a, ReplicaFigures f, int primaries)
    {
        var perReplica = f.Wait1PublishesPerReplica * a.Usable * primaries;
        return new WaitStep(primaries, perReplica, CeilingOf(a.Publishes / perReplica));
    }

    public static RedisStep Redis(PlanAssumptions a, RedisFigures f, int apiReplicas)
    {
        var factor = ReplicaFactor(a, f);
        // The lower of the standalone and the per-primary cluster rate: a cluster primary also gossips, a lone server does not shard.
        var publish = 1e6 / Math.Min(f.StandalonePublishesPerCore, f.ClusterPublishesPerCore) * factor
            + (Math.Min(a.ConnectionsPerUser, apiReplicas) - 1) * f.SubscriberUs;
        var broadcast = (1e6 / f.BroadcastsPerCore - f.BroadcastSubscribers * f.SubscriberUs) * factor + apiReplicas * f.SubscriberUs;
        var (publishCores, broadcastCores) = (a.Publishes * publish / 1e6, a.Broadcasts * broadcast / 1e6);
        var storm = a.ReconnectShare * a.Connections / a.ReconnectSeconds * f.ConnectUs / 1e6;
        return new RedisStep(factor, publish, publishCores, broadcast, broadcastCores, a.Usable / broadcast * 1e6, storm,
            Primaries(publishCores, broadcastCores, a.Usable), Primaries(publishCores + storm, broadcastCores, 1));
    }

    /// <summary>The broadcast primary carries all broadcasts and its share of the rest; when broadcasts alone fill it, the others
    /// take the rest and that one stays over (a limit no topology lifts).</summary>
    public static int Primaries(double spread, double hot, double budget) =>
        hot >= budget ? 1 + CeilingOf(spread / budget) : Math.Max(1, CeilingOf(spread / (budget - hot)));

    private static double ReplicaFactor(PlanAssumptions a, RedisFigures f) => a switch
    {
        { RedisReplicas: 0 } => 1,
        { Wait: false } => f.StandalonePublishesPerCore / f.Wait0PublishesPerCore,
        _ => f.StandalonePublishesPerCore / f.Wait1PublishesPerCore,
    };

    // A whisker over a whole number is rounding, not a need for one more.
    private static int CeilingOf(double value) => (int)Math.Ceiling(Math.Round(value, 9));
}
