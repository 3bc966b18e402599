namespace AspireNotify.Bench.Planning;

/// <summary>Every step of a capacity plan, so that it can be printed as arithmetic and tested.</summary>
public sealed record CapacityPlan(PlanAssumptions Assumptions, CapacityFigures Figures, MemoryStep Memory, CpuStep Cpu, WaitStep? Wait,
    RedisStep Redis, int Replicas, string ReplicasLimitedBy)
{
    public double ProvisionedCores => Replicas * Assumptions.ReplicaCores;

    public double ProvisionedGiB => Replicas * Assumptions.ReplicaMemoryGiB;

    /// <summary>What the replicas are expected to use: each one's own baseline and traffic allowance, plus every connection.</summary>
    public double ExpectedWorkingSetGiB =>
        (Replicas * (Figures.Replica.BaseMiB + Memory.TrafficMiB) + Assumptions.Connections * Figures.Replica.ConnectionKiB / 1024) / 1024;
}

/// <param name="TrafficMiB">Working set a replica adds under traffic beyond its idle figures (the soak's highest, net of its connections).</param>
/// <param name="UsableMiB">Memory of a replica the plan may use.</param>
/// <param name="ConnectionsPerReplica">Connections that fit in what is left after the baseline and the traffic allowance.</param>
public sealed record MemoryStep(double TrafficMiB, double UsableMiB, long ConnectionsPerReplica, int Replicas);

/// <param name="PublishCores">Per-user publishes with their deliveries.</param>
/// <param name="BroadcastDeliveries">Broadcast deliveries per second: broadcasts × connections.</param>
/// <param name="BroadcastCores">Those deliveries' CPU.</param>
/// <param name="ReconnectsPerSecond">The storm's connect rate.</param>
/// <param name="StormCores">The storm's CPU, on top of the steady load; it may use the headroom.</param>
/// <param name="SteadyReplicas">Replicas for the steady load within the headroom.</param>
/// <param name="StormReplicas">Replicas for steady load plus storm at every core.</param>
public sealed record CpuStep(double PublishCores, double BroadcastDeliveries, double BroadcastCores, double ReconnectsPerSecond, double StormCores,
    int SteadyReplicas, int StormReplicas)
{
    public double SteadyCores => PublishCores + BroadcastCores;

    public int Replicas => Math.Max(SteadyReplicas, StormReplicas);
}

/// <param name="Primaries">The primaries each replica has a connection to (planned before this step).</param>
/// <param name="PublishesPerReplica">Per-user publishes/s one API replica may take with WAIT on, within the headroom, over all primaries.</param>
public sealed record WaitStep(int Primaries, double PublishesPerReplica, int Replicas);

/// <param name="ReplicaFactor">Redis CPU of a publish on a primary with replicas (and WAIT) ÷ on a standalone server.</param>
/// <param name="PublishUs">Redis CPU per per-user publish on the primary of its slot, its further subscribers included.</param>
/// <param name="PublishCores">All per-user publishes, spread over the primaries.</param>
/// <param name="BroadcastUs">Redis CPU per broadcast on the primary of the broadcast slot, every API replica subscribed.</param>
/// <param name="BroadcastCores">All broadcasts, on that one primary.</param>
/// <param name="BroadcastCeiling">Broadcasts/s that one primary carries within the headroom with this many API replicas.</param>
/// <param name="StormCores">Redis CPU of the reconnect storm, spread over the primaries.</param>
/// <param name="SteadyPrimaries">Primaries for the steady load within the headroom (1: no cluster needed).</param>
/// <param name="StormPrimaries">Primaries for the steady load and the storm at every core.</param>
public sealed record RedisStep(double ReplicaFactor, double PublishUs, double PublishCores, double BroadcastUs, double BroadcastCores,
    double BroadcastCeiling, double StormCores, int SteadyPrimaries, int StormPrimaries)
{
    public int Primaries => Math.Max(SteadyPrimaries, StormPrimaries);

    /// <summary>The broadcast stream is one slot: past its ceiling no number of primaries helps (docs/scaling.md).</summary>
    public bool BroadcastOverCeiling => BroadcastCores > 0 && BroadcastCeiling < BroadcastCores / BroadcastUs * 1e6;
}
