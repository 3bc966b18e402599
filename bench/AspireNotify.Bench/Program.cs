using AspireNotify.Bench;
using AspireNotify.Bench.Planning;
using AspireNotify.Bench.Reporting;
using AspireNotify.Bench.Scenarios;
using AspireNotify.Bench.Scenarios.Compare;

var scenarios = new Dictionary<string, Func<BenchOptions, Task<ScenarioResult>>>(StringComparer.OrdinalIgnoreCase)
{
    ["idle"] = IdleScenario.RunAsync,
    ["latency"] = LatencyScenario.RunAsync,
    ["broadcast"] = BroadcastScenario.RunAsync,
    ["storm"] = StormScenario.RunAsync,
    ["soak"] = SoakScenario.RunAsync,
    ["churn"] = ChurnScenario.RunAsync,
    ["backplane"] = BackplaneScenario.RunAsync,
};

// Arithmetic on figures already measured: nothing to start.
if (args is ["plan", ..])
{
    return PlanCommand.Run(BenchOptions.Parse(args[1..]));
}

var comparing = args is ["compare", var compared, ..] && CompareScenario.All.ContainsKey(compared);
if (args.Length == 0 || !(scenarios.ContainsKey(args[0]) || args[0] == "smoke" || comparing))
{
    Console.Error.WriteLine($"usage: bench/run.sh <{string.Join('|', scenarios.Keys)}|smoke> [--name value …] [--out results.json]");
    Console.Error.WriteLine($"       bench/run.sh compare <{string.Join('|', CompareScenario.All.Keys)}> [--targets aspirenotify,seed,signalr] [--name value …]");
    Console.Error.WriteLine("       bench/run.sh plan --connections N --publishes R --broadcasts B [--name value …]");
    return 2;
}

if (comparing)
{
    var compareOptions = BenchOptions.Parse(args[2..]);
    var comparison = await CompareScenario.RunAsync(args[1], compareOptions);
    comparison.Print();
    await comparison.WriteAsync(compareOptions.Text("out", Path.Combine("bench", "results", $"compare-{args[1]}.json")));
    return 0;
}

var options = BenchOptions.Parse(args[1..]);
if (args[0] == "smoke")
{
    return await SmokeAsync();
}

var result = await scenarios[args[0]](options);
result.Print();
await result.WriteAsync(options.Text("out", Path.Combine("bench", "results", $"{args[0]}.json")));
return 0;

// Every scenario at a tiny size, so the tool cannot rot (CI runs this); only correctness counts, not the targets.
async Task<int> SmokeAsync()
{
    Console.WriteLine("smoke: every scenario at a tiny size; only losses and empty deliveries fail it, the targets do not apply.");
    (string Name, string[] Arguments)[] smoke =
    [
        ("idle", ["--connections", "50"]),
        ("latency", ["--users", "20", "--rate", "50", "--duration", "3"]),
        ("latency", ["--users", "20", "--rate", "50", "--duration", "3", "--batch", "10"]),
        ("broadcast", ["--connections", "30", "--rate", "5", "--duration", "3"]),
        ("storm", ["--clients", "30", "--rate", "20", "--duration", "6"]),
        ("soak", ["--connections", "30", "--duration", "8", "--sample", "2", "--rate", "20"]),
        ("churn", ["--clients", "20", "--duration", "6", "--users", "20", "--rate", "20", "--hold", "0.2"]),
        // Every topology once, one replica, a few seconds each; WAIT 1 only, since it is the path that can refuse.
        ("backplane", ["--topology", "standalone,cluster,replicated", "--wait", "1", "--replicas", "1", "--users", "20", "--listeners", "2",
            "--rate", "50", "--idle", "0.2", "--warm-up", "0.3", "--duration", "1", "--ramp", "none", "--direct", "200", "--ramp-step", "1",
            "--direct-broadcast", "none", "--fan-out", "none"]),
    ];
    var failures = 0;
    foreach (var (name, arguments) in smoke)
    {
        var measured = await scenarios[name](BenchOptions.Parse(arguments));
        measured.Print();
        var lost = measured.Figures.FirstOrDefault(f => f.Name == "acknowledged messages lost");
        var delivered = measured.Figures.FirstOrDefault(f => f.Name == "deliveries");
        if (lost is { Value: > 0 } || delivered is { Value: 0 })
        {
            Console.Error.WriteLine($"smoke: {name} lost or delivered nothing");
            failures++;
        }

        // A refused publish is no loss, but on the backplane path it means a topology (or WAIT) does not work.
        if (name == "backplane" && measured.Figures.Any(f => f.Name is "publish errors" or "parts failed" && f.Value > 0))
        {
            Console.Error.WriteLine("smoke: backplane refused publishes or a part of it failed");
            failures++;
        }
    }

    // The side-by-side path with the .NET peer only: the seed's packages would need npm ci, which CI does not run.
    var comparison = await CompareScenario.RunAsync("latency",
        BenchOptions.Parse(["--targets", "aspirenotify,signalr", "--users", "20", "--rate", "50", "--duration", "3", "--warm-up-seconds", "1"]));
    comparison.Print();
    foreach (var shortfall in comparison.Shortfalls())
    {
        Console.Error.WriteLine($"smoke: compare latency: {shortfall}");
        failures++;
    }

    return failures == 0 ? 0 : 1;
}
