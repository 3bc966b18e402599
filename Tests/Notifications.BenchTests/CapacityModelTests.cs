using AspireNotify.Bench.Planning;

namespace Notifications.BenchTests;

public class CapacityModelTests
{
    // Round numbers, so that every expectation below can be checked by hand.
    private static readonly ReplicaFigures Replica = new(ConnectionKiB: 32, BaseMiB: 100, SoakWorkingSetMiB: 250, SoakConnections: 1600,
        ConnectMs: 2, PublishUs: 400, DeliveryUs: 25, Wait1PublishesPerReplica: 500);

    private static readonly RedisFigures Redis = new(ConnectUs: 100, StandalonePublishesPerCore: 20_000, ClusterPublishesPerCore: 25_000,
        Wait0PublishesPerCore: 16_000, Wait1PublishesPerCore: 10_000, BroadcastsPerCore: 25_000, BroadcastSubscribers: 2, SubscriberUs: 2);

    private static readonly CapacityFigures Figures = new(Replica, Redis);

    [Fact]
    public void Memory_leaves_the_baseline_and_the_soaks_allowance_out_of_what_connections_may_use()
    {
        var memory = CapacityModel.Memory(new PlanAssumptions(1_000_000, 0, 0, ReplicaMemoryGiB: 4, Headroom: 0.25), Replica);

        Assert.Equal(100, memory.TrafficMiB, 6);                   // 250 − 100 − 1,600 × 32 KiB (50 MiB)
        Assert.Equal(3072, memory.UsableMiB, 6);                   // 4 GiB × 75 %
        Assert.Equal(91_904, memory.ConnectionsPerReplica);        // (3,072 − 100 − 100) MiB ÷ 32 KiB
        Assert.Equal(11, memory.Replicas);                         // ⌈1,000,000 ÷ 91,904⌉
    }

    [Fact]
    public void Cpu_adds_further_deliveries_per_user_and_broadcasts_times_connections()
    {
        var cpu = CapacityModel.Cpu(new PlanAssumptions(100_000, 10_000, 2, ConnectionsPerUser: 3, ReplicaCores: 4, Headroom: 0.5,
            ReconnectShare: 0.5, ReconnectSeconds: 25), Replica);

        Assert.Equal(4.5, cpu.PublishCores, 6);          // 10,000 × (400 + 2 × 25) µs
        Assert.Equal(200_000, cpu.BroadcastDeliveries);   // 2 × 100,000
        Assert.Equal(5, cpu.BroadcastCores, 6);          // 200,000 × 25 µs
        Assert.Equal(5, cpu.SteadyReplicas);              // 9.5 ÷ (4 × 50 %) = 4.75
        Assert.Equal(2_000, cpu.ReconnectsPerSecond, 6);  // 50 % × 100,000 ÷ 25 s
        Assert.Equal(4, cpu.StormCores, 6);              // 2,000 × 2 ms
        Assert.Equal(4, cpu.StormReplicas);               // (9.5 + 4) ÷ 4 = 3.4, at every core
        Assert.Equal(5, cpu.Replicas);
    }

    [Fact]
    public void A_storm_that_the_headroom_cannot_absorb_decides_the_replicas()
    {
        var cpu = CapacityModel.Cpu(new PlanAssumptions(1_000_000, 0, 0, ReplicaCores: 2, Headroom: 0.3, ReconnectSeconds: 10), Replica);

        Assert.Equal(0, cpu.SteadyReplicas);
        Assert.Equal(200, cpu.StormCores, 6);  // 100,000/s × 2 ms
        Assert.Equal(100, cpu.Replicas);
    }

    [Theory]
    [InlineData(0, false, 1.0)]
    [InlineData(1, false, 1.25)]  // 20,000 ÷ 16,000
    [InlineData(1, true, 2.0)]    // 20,000 ÷ 10,000
    public void A_replica_and_wait_multiply_what_a_publish_costs_its_primary(int redisReplicas, bool wait, double factor)
    {
        var redis = CapacityModel.Redis(new PlanAssumptions(1000, 10_000, 0, RedisReplicas: redisReplicas, Wait: wait), Redis, apiReplicas: 4);

        Assert.Equal(factor, redis.ReplicaFactor, 6);
        Assert.Equal(50 * factor, redis.PublishUs, 6);  // 1e6 ÷ min(20,000, 25,000)
        Assert.Equal(0.5 * factor, redis.PublishCores, 6);
    }

    [Fact]
    public void Every_subscribed_api_replica_adds_to_a_broadcast_and_a_users_further_connections_to_a_publish()
    {
        var redis = CapacityModel.Redis(new PlanAssumptions(1000, 1000, 100, ConnectionsPerUser: 2, RedisReplicas: 0, Wait: false, Headroom: 0.2), Redis, apiReplicas: 50);

        Assert.Equal(52, redis.PublishUs, 6);                // 50 + 1 further subscriber × 2
        Assert.Equal(136, redis.BroadcastUs, 6);             // (40 − 2 × 2) + 50 × 2
        Assert.Equal(0.0136, redis.BroadcastCores, 9);
        Assert.Equal(0.8 / 136e-6, redis.BroadcastCeiling, 3);
        Assert.False(redis.BroadcastOverCeiling);
    }

    [Fact]
    public void Broadcasts_past_one_primarys_core_are_over_the_ceiling_and_take_a_primary_of_their_own()
    {
        var redis = CapacityModel.Redis(new PlanAssumptions(1000, 0, 20_000, RedisReplicas: 0, Wait: false, ReconnectShare: 0), Redis, apiReplicas: 10);

        Assert.True(redis.BroadcastOverCeiling);  // 20,000 × 56 µs = 1.12 cores
        Assert.Equal(1, redis.Primaries);
    }

    [Theory]
    [InlineData(3.5, 0.0, 0.7, 5)]   // spread evenly: ⌈3.5 ÷ 0.7⌉
    [InlineData(3.5, 0.2, 0.7, 7)]   // the broadcast primary has 0.5 left for its share: ⌈3.5 ÷ 0.5⌉
    [InlineData(0.1, 0.0, 0.7, 1)]
    [InlineData(2.0, 0.9, 0.7, 4)]   // broadcasts alone fill one: it stays over, ⌈2 ÷ 0.7⌉ more
    public void Primaries_leave_the_broadcast_slots_primary_its_share(double spread, double hot, double budget, int primaries) =>
        Assert.Equal(primaries, CapacityModel.Primaries(spread, hot, budget));

    [Fact]
    public void Wait_caps_publishes_per_replica_per_primary_and_can_decide_the_replicas()
    {
        var plan = CapacityModel.Plan(new PlanAssumptions(10_000, 20_000, 0, Headroom: 0.5, ReconnectShare: 0), Figures);

        Assert.NotNull(plan.Wait);
        Assert.Equal(4, plan.Wait.Primaries);                    // 20,000 × 100 µs = 2 cores ÷ 50 %
        Assert.Equal(1000, plan.Wait.PublishesPerReplica, 6);    // 500 × 50 % × 4
        Assert.Equal(20, plan.Replicas);                         // CPU: 20,000 × 400 µs = 8 cores ÷ (2 × 50 %) = 8
        Assert.Equal("WAIT's publish rate per replica", plan.ReplicasLimitedBy);
    }

    [Fact]
    public void Without_wait_there_is_no_cap_and_redis_is_planned_for_the_final_replicas()
    {
        var plan = CapacityModel.Plan(new PlanAssumptions(1_000_000, 1000, 1, Wait: false, ReconnectShare: 0), Figures);

        Assert.Null(plan.Wait);
        Assert.Equal(Math.Max(plan.Memory.Replicas, plan.Cpu.Replicas), plan.Replicas);
        Assert.Equal((40 - 2 * 2) * 1.25 + plan.Replicas * 2, plan.Redis.BroadcastUs, 6);  // (1e6 ÷ 25,000 − 2 subscribers) × 20,000 ÷ 16,000
        Assert.Equal(plan.Replicas * 2.0, plan.ProvisionedCores);
    }

    [Theory]
    [InlineData(0, "--connections")]
    [InlineData(1, "--headroom")]
    public void Assumptions_out_of_range_are_refused(int connections, string option)
    {
        var assumptions = new PlanAssumptions(connections, 0, 0, Headroom: connections == 0 ? 0.3 : 1);

        Assert.Contains(option, assumptions.Problem(), StringComparison.Ordinal);
    }

    [Fact]
    public void Wait_without_a_replica_to_wait_for_is_refused() =>
        Assert.Contains("--redis-replicas", new PlanAssumptions(1, 0, 0, RedisReplicas: 0, Wait: true).Problem(), StringComparison.Ordinal);
}
