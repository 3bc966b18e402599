using System.Globalization;

namespace AspireNotify.Bench.Planning;

/// <summary>A capacity plan printed as the arithmetic that produced it, or as one row of a markdown table.</summary>
public static class PlanReport
{
    public static void PrintInputs(IReadOnlyList<MeasuredInput> inputs, IEnumerable<string> directories)
    {
        Console.WriteLine($"Measured inputs (the newest run of each kind in {string.Join(", ", directories)}):");
        foreach (var input in inputs)
        {
            Console.WriteLine($"  {N(input.Value),10} {input.Unit,-3}  {input.What}");
            Console.WriteLine($"  {"",14}  {(input.Fallback ? "" : "from ")}{input.Source}");
        }

        var missing = inputs.Count(input => input.Fallback);
        Console.WriteLine(missing == 0 ? "  every input measured." : $"  {missing} input(s) NOT measured: their documented fallback is used.");
    }

    public static void PrintAssumptions(PlanAssumptions a)
    {
        Console.WriteLine();
        Console.WriteLine("Assumptions (options in brackets):");
        Line($"an API replica has {N(a.ReplicaCores)} cores [--replica-cores] and {N(a.ReplicaMemoryGiB)} GiB [--replica-gib], {(a.WorkstationGc ? "workstation" : "Server")} GC [--gc]");
        Line($"{P(a.Headroom)} of every core and GiB stays free in steady state [--headroom]; a reconnect storm may use it all");
        Line($"storm: {P(a.ReconnectShare)} of the connections [--reconnect-share] reconnect within {N(a.ReconnectSeconds)} s [--reconnect-seconds]");
        Line($"{N(a.ConnectionsPerUser)} connection(s) per user [--connections-per-user], each on a different API replica (a user stream's subscribers)");
        Line($"Redis: {a.RedisReplicas} replica(s) per primary [--redis-replicas], WAIT {(a.Wait ? 1 : 0)} [--wait]; one core per redis-server process is its limit");
        Line("costs are linear in the load: every measurement's CPU per message fell as its rate rose, so this errs high");
        Line("CPU figures come from 2 cores shared with the load tool: upper bounds of what a replica with cores of its own spends");
        Line("not modeled: Redis memory (streams × History:MaxCount × message size), network, the ingress, the load balancer's own limits");
    }

    public static void PrintArithmetic(CapacityPlan plan)
    {
        var (a, f, m, c) = (plan.Assumptions, plan.Figures.Replica, plan.Memory, plan.Cpu);
        Console.WriteLine();
        Console.WriteLine($"== {N(a.Connections)} connections, {N(a.Publishes)} per-user publishes/s, {N(a.Broadcasts)} broadcasts/s");
        Console.WriteLine("1. Memory → API replicas");
        Line($"traffic allowance = soak's {N(f.SoakWorkingSetMiB)} MiB − baseline {N(f.BaseMiB)} MiB − {N(f.SoakConnections)} × {N(f.ConnectionKiB)} KiB = {N(m.TrafficMiB)} MiB per replica");
        Line($"usable = {N(a.ReplicaMemoryGiB)} GiB × {P(a.Usable)} = {N(m.UsableMiB)} MiB; for connections {N(m.UsableMiB)} − {N(f.BaseMiB)} − {N(m.TrafficMiB)} = {N(m.UsableMiB - f.BaseMiB - m.TrafficMiB)} MiB");
        Line($"connections per replica = {N(m.UsableMiB - f.BaseMiB - m.TrafficMiB)} MiB ÷ {N(f.ConnectionKiB)} KiB = {N(m.ConnectionsPerReplica)}");
        Line($"replicas by memory = ⌈{N(a.Connections)} ÷ {N(m.ConnectionsPerReplica)}⌉ = {m.Replicas}");
        Console.WriteLine("2. CPU → API replicas");
        Line($"per-user: {N(a.Publishes)}/s × ({N(f.PublishUs)} µs + {N(a.ConnectionsPerUser - 1)} further deliveries × {N(f.DeliveryUs)} µs) = {N(c.PublishCores)} cores");
        Line($"broadcast: {N(a.Broadcasts)}/s × {N(a.Connections)} connections = {N(c.BroadcastDeliveries)} deliveries/s × {N(f.DeliveryUs)} µs = {N(c.BroadcastCores)} cores");
        Line($"steady: {N(c.SteadyCores)} cores ÷ ({N(a.ReplicaCores)} cores × {P(a.Usable)}) → {c.SteadyReplicas} replicas");
        Line($"storm: {N(c.ReconnectsPerSecond)} connects/s × {N(f.ConnectMs)} ms = {N(c.StormCores)} cores; (steady + storm) ÷ {N(a.ReplicaCores)} cores → {c.StormReplicas} replicas");
        if (plan.Wait is { } wait)
        {
            Console.WriteLine("3. WAIT → API replicas (WAIT blocks a replica's one connection per primary: a rate cap, not CPU)");
            Line($"{N(f.Wait1PublishesPerReplica)}/s per replica measured × {P(a.Usable)} × {wait.Primaries} primaries = {N(wait.PublishesPerReplica)}/s per replica");
            Line($"replicas by WAIT = ⌈{N(a.Publishes)} ÷ {N(wait.PublishesPerReplica)}⌉ = {wait.Replicas}");
        }

        PrintRedis(plan);
        PrintAnswer(plan);
    }

    private static void PrintRedis(CapacityPlan plan)
    {
        var (a, f, r) = (plan.Assumptions, plan.Figures.Redis, plan.Redis);
        Console.WriteLine("4. Redis → primaries");
        Line($"replica factor = {N(f.StandalonePublishesPerCore)}/s standalone ÷ {N(a.RedisReplicas == 0 ? f.StandalonePublishesPerCore : a.Wait ? f.Wait1PublishesPerCore : f.Wait0PublishesPerCore)}/s with this topology = {N(r.ReplicaFactor)}");
        Line($"per-user: 1e6 ÷ min({N(f.StandalonePublishesPerCore)}, {N(f.ClusterPublishesPerCore)}) × {N(r.ReplicaFactor)} + {N(Math.Min(a.ConnectionsPerUser, plan.Replicas) - 1)} further subscribers × {N(f.SubscriberUs)} µs = {N(r.PublishUs)} µs; × {N(a.Publishes)}/s = {N(r.PublishCores)} cores, spread over the primaries");
        Line($"broadcast: (1e6 ÷ {N(f.BroadcastsPerCore)} − {N(f.BroadcastSubscribers)} × {N(f.SubscriberUs)}) µs × {N(r.ReplicaFactor)} + {plan.Replicas} API replicas × {N(f.SubscriberUs)} µs = {N(r.BroadcastUs)} µs; × {N(a.Broadcasts)}/s = {N(r.BroadcastCores)} cores, all on the broadcast slot's primary");
        Line($"storm: {N(plan.Cpu.ReconnectsPerSecond)} connects/s × {N(f.ConnectUs)} µs = {N(r.StormCores)} cores, spread over the primaries");
        Line($"steady: ⌈per-user ÷ ({P(a.Usable)} − broadcast)⌉ = {r.SteadyPrimaries} primaries; storm: ⌈(per-user + storm) ÷ (100 % − broadcast)⌉ = {r.StormPrimaries}");
        Line($"broadcast ceiling of one primary with {plan.Replicas} API replicas: {P(a.Usable)} ÷ {N(r.BroadcastUs)} µs = {N(r.BroadcastCeiling)} broadcasts/s");
        if (r.BroadcastOverCeiling)
        {
            Line($"LIMIT: {N(a.Broadcasts)} broadcasts/s exceed one primary's core. The broadcast stream is one slot, so no number of primaries lifts it (docs/scaling.md, The backplane itself); batch broadcasts or send fewer.");
        }
    }

    private static void PrintAnswer(CapacityPlan plan)
    {
        var (a, r) = (plan.Assumptions, plan.Redis);
        Console.WriteLine("Answer");
        Line($"API replicas: {plan.Replicas} (limited by {plan.ReplicasLimitedBy}): {N(plan.ProvisionedCores)} cores, {N(plan.ProvisionedGiB)} GiB provisioned; expected working set {N(plan.ExpectedWorkingSetGiB)} GiB");
        Line($"Redis: {Topology(a, r.Primaries)}");
    }

    public static string Topology(PlanAssumptions a, int primaries)
    {
        var processes = primaries * (1 + a.RedisReplicas);
        var shape = primaries == 1
            ? a.RedisReplicas == 0 ? "one standalone redis-server" : $"one primary + {a.RedisReplicas} replica(s) (Sentinel)"
            : $"Redis Cluster of {primaries} primaries × (1 + {a.RedisReplicas} replica(s))";
        return $"{shape}: {processes} redis-server process(es), a core each, WAIT {(a.Wait ? 1 : 0)}";
    }

    public static string MarkdownHeader =>
        "| connections | per-user publishes/s | broadcasts/s | API replicas by memory / steady CPU / storm / WAIT | API replicas | cores / GiB | " +
        "Redis primaries steady / storm | Redis | broadcast slot: CPU / ceiling |" + Environment.NewLine +
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |";

    public static string MarkdownRow(CapacityPlan p) =>
        $"| {N(p.Assumptions.Connections)} | {N(p.Assumptions.Publishes)} | {N(p.Assumptions.Broadcasts)} | " +
        $"{p.Memory.Replicas} / {p.Cpu.SteadyReplicas} / {p.Cpu.StormReplicas} / {(p.Wait is null ? "–" : p.Wait.Replicas)} | **{p.Replicas}** | " +
        $"{N(p.ProvisionedCores)} / {N(p.ProvisionedGiB)} | {p.Redis.SteadyPrimaries} / {p.Redis.StormPrimaries} | {Shape(p.Assumptions, p.Redis.Primaries)} | " +
        $"{N(p.Redis.BroadcastCores)} cores / {N(p.Redis.BroadcastCeiling)}/s{(p.Redis.BroadcastOverCeiling ? " (**over**)" : "")} |";

    private static string Shape(PlanAssumptions a, int primaries) =>
        $"{(primaries == 1 ? "1 primary" : $"cluster, {primaries} primaries")} × {1 + a.RedisReplicas}";

    private static void Line(string text) => Console.WriteLine($"   {text}");

    // Three significant figures or so: the inputs carry no more.
    private static string N(double value) => value.ToString(Math.Abs(value) switch
    {
        >= 100 => "#,0",
        >= 10 => "#,0.#",
        >= 0.1 or 0 => "#,0.##",
        _ => "0.####",
    }, CultureInfo.InvariantCulture);

    private static string P(double share) => share.ToString("0.#%", CultureInfo.InvariantCulture).Replace("%", " %", StringComparison.Ordinal);
}
