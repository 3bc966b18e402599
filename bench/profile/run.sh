#!/usr/bin/env bash
# CPU profile of the API replicas under one `bench/run.sh compare` scenario (docs/scaling.md, "Where the CPU goes").
# Runs the scenario against AspireNotify only, waits for a line of its output plus a delay, then samples the replicas
# on-CPU with perf (JIT'd frames named through perf maps) and, after that, their threads with dotnet-trace.
# Usage: bench/profile/run.sh <out-dir> <scenario> <marker> <delay-s> <seconds> [bench args…]
#   e.g. bench/profile/run.sh /tmp/prof-latency latency "2,000 / 2,000 connected" 13 10 --duration 25
# Then:  perf script -i <out-dir>/perf.data -F comm,pid,ip,sym,dso | python3 bench/profile/fold.py 40
#        dotnet-trace report <out-dir>/api.nettrace topN -n 40 --inclusive
# Needs perf (apt-get install linux-perf) and dotnet-trace (dotnet tool install -g dotnet-trace).
set -uo pipefail
out=$1; scenario=$2; marker=$3; delay=$4; seconds=$5; shift 5
mkdir -p "$out"
cd "$(dirname "$0")/../.."
uptime > "$out/uptime-before.txt"
# Perf maps name JIT'd code; without W^X the code is not behind a double mapping perf cannot attribute.
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 bash bench/run.sh compare "$scenario" --targets aspirenotify "$@" \
  --out "$out/compare.json" > "$out/bench.log" 2>&1 &
bench=$!
for _ in $(seq 1 1200); do grep -q -- "$marker" "$out/bench.log" && break; sleep 0.5; done
sleep "$delay"
pids=$(ps -eo pid=,ppid=,args= | awk -v b="$bench" '$2==b && /Notifications.Api.dll/ {print $1}')
echo "$pids" > "$out/pids.txt"
perf record -F 499 -g -p "$(echo $pids | tr ' ' ',')" -o "$out/perf.data" -- sleep "$seconds" > "$out/perf.log" 2>&1
for pid in $pids; do cp "/tmp/perf-$pid.map" "$out/"; done
dotnet-trace collect -p "$(echo $pids | awk '{print $1}')" --profile dotnet-sampled-thread-time \
  --duration "00:00:00:$seconds" -o "$out/api.nettrace" > "$out/trace.log" 2>&1
wait "$bench"
uptime > "$out/uptime-after.txt"
