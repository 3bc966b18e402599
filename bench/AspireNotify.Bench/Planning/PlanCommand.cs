namespace AspireNotify.Bench.Planning;

/// <summary>
/// <c>bench/run.sh plan --connections N --publishes R --broadcasts B</c>: the capacity model of docs/scaling.md from the
/// newest measured figures, printed step by step; lists (<c>--connections 100000,1000000</c>) print one markdown row per
/// combination instead. Nothing is started: it reads JSON only.
/// </summary>
public static class PlanCommand
{
    public static int Run(BenchOptions options)
    {
        var directories = options.List("figures", "docs/bench,bench/results");
        var connections = options.Counts("connections", "");
        if (connections.Count == 0)
        {
            Console.Error.WriteLine("usage: bench/run.sh plan --connections N [--publishes R] [--broadcasts B] [--connections-per-user 1] [--replica-cores 2] " +
                "[--replica-gib 4] [--headroom 0.3] [--reconnect-share 1] [--reconnect-seconds 30] [--redis-replicas 1] [--wait 1] [--gc server] [--figures docs/bench,bench/results]");
            return 2;
        }

        var plans = (from n in connections
            from r in options.Numbers("publishes", "0")
            from b in options.Numbers("broadcasts", "0")
            select Assumptions(options, n, r, b)).ToList();
        if (plans.Select(a => a.Problem()).FirstOrDefault(problem => problem is not null) is { } problem)
        {
            Console.Error.WriteLine($"plan: {problem}");
            return 2;
        }

        var (figures, inputs) = MeasuredFigures.Read(MeasuredRun.Load(directories), plans[0].WorkstationGc);
        PlanReport.PrintInputs(inputs, directories);
        PlanReport.PrintAssumptions(plans[0]);
        var planned = plans.Select(a => CapacityModel.Plan(a, figures)).ToList();
        if (planned.FirstOrDefault(p => p.Memory.ConnectionsPerReplica < 1) is { } tooSmall)
        {
            Console.Error.WriteLine($"plan: a replica of {tooSmall.Assumptions.ReplicaMemoryGiB} GiB holds no connection beyond its baseline at this headroom");
            return 2;
        }

        Print(planned);
        return 0;
    }

    private static void Print(List<CapacityPlan> planned)
    {
        if (planned.Count == 1)
        {
            PlanReport.PrintArithmetic(planned[0]);
            return;
        }

        Console.WriteLine();
        Console.WriteLine(PlanReport.MarkdownHeader);
        foreach (var plan in planned)
        {
            Console.WriteLine(PlanReport.MarkdownRow(plan));
        }
    }

    private static PlanAssumptions Assumptions(BenchOptions options, int connections, double publishes, double broadcasts) => new(
        connections, publishes, broadcasts,
        ConnectionsPerUser: options.Number("connections-per-user", 1),
        ReplicaCores: options.Number("replica-cores", 2),
        ReplicaMemoryGiB: options.Number("replica-gib", 4),
        Headroom: options.Number("headroom", 0.3),
        ReconnectShare: options.Number("reconnect-share", 1),
        ReconnectSeconds: options.Number("reconnect-seconds", 30),
        RedisReplicas: options.Count("redis-replicas", 1),
        Wait: options.Count("wait", 1) switch { 0 => false, 1 => true, _ => throw new ArgumentException("--wait is 0 or 1") },
        WorkstationGc: options.Text("gc", "server") switch
        {
            "server" => false,
            "workstation" => true,
            _ => throw new ArgumentException("--gc is server or workstation"),
        });
}
