#!/usr/bin/env bash
# Reproduces every figure in docs/scaling.md (about 90 minutes, 30 of them the soak, 10 the churn, 7 the side-by-side
# comparisons, 27 the backplane); JSON goes to docs/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/bench
mkdir -p "$out"

bash bench/run.sh idle --connections 10000 --out "$out/idle.json"
BENCH_GC_SERVER=0 bash bench/run.sh idle --connections 10000 --out "$out/idle-workstation-gc.json"
for replicas in 1 2 3; do
  bash bench/run.sh latency --replicas "$replicas" --rate 2000 --duration 30 --out "$out/latency-$replicas-replicas.json"
done
bash bench/run.sh latency --replicas 3 --rate 1000 --duration 30 --out "$out/latency-3-replicas-1000.json"
BENCH_TRACES_SAMPLER=parentbased_traceidratio BENCH_TRACES_SAMPLER_ARG=0.1 \
  bash bench/run.sh latency --replicas 3 --rate 2000 --duration 30 --out "$out/latency-3-replicas-sampled.json"
for replicas in 1 2 3; do
  bash bench/run.sh broadcast --replicas "$replicas" --connections 10000 --rate 10 --duration 30 --out "$out/broadcast-$replicas-replicas.json"
done
bash bench/run.sh broadcast --replicas 1 --connections 10000 --rate 5 --duration 30 --out "$out/broadcast-1-replica-5.json"
bash bench/run.sh storm --clients 5000 --rate 100 --out "$out/storm.json"
bash bench/run.sh soak --duration 1800 --sample 30 --out "$out/soak.json"
bash bench/run.sh churn --duration 600 --out "$out/churn.json"
for scenario in idle latency broadcast; do
  bash bench/run.sh compare "$scenario" --out "$out/compare-$scenario.json"
done
bash bench/run.sh backplane --out "$out/backplane.json"
