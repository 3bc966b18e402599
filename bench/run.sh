#!/usr/bin/env bash
# Runs one load scenario against Debian's redis-server and API replicas started directly from a Release build, or
# every scenario at a tiny size (smoke), or one scenario against AspireNotify and its peers side by side (compare:
# the seed's Node server in bench/peers/seed-node, a SignalR hub in bench/peers/signalr).
# Usage: bench/run.sh <idle|latency|broadcast|storm|soak|churn|backplane|smoke> [--name value …]
#        bench/run.sh compare <idle|latency|broadcast> [--targets aspirenotify,seed,signalr] [--name value …]
#        bench/run.sh plan --connections N --publishes R --broadcasts B [--name value …]   (capacity model, docs/scaling.md)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ "${1:-}" = plan ]; then
  # Arithmetic on figures already measured: no Redis, no API build; errors only, so the plan reads first.
  dotnet build bench/AspireNotify.Bench -c Release -v quiet --nologo -clp:ErrorsOnly
  exec dotnet bench/AspireNotify.Bench/bin/Release/net10.0/AspireNotify.Bench.dll "$@"
fi

command -v redis-server >/dev/null 2>&1 || { echo "bench needs redis-server: apt-get install -y redis-server" >&2; exit 1; }
# Tens of thousands of sockets on both ends of loopback: raise the descriptor limit as far as allowed.
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)"

dotnet build Notifications.Api -c Release -v quiet --nologo
dotnet build bench/AspireNotify.Bench -c Release -v quiet --nologo
case "${1:-}" in
  compare)
    command -v node >/dev/null 2>&1 || { echo "compare needs Node.js 20 or later for the seed's server" >&2; exit 1; }
    dotnet build bench/peers/signalr -c Release -v quiet --nologo
    npm ci --prefix bench/peers/seed-node --no-audit --no-fund --loglevel=error ;;
  smoke)
    # smoke compares AspireNotify with the SignalR peer only: the seed's npm packages are not installed in CI.
    dotnet build bench/peers/signalr -c Release -v quiet --nologo ;;
esac
exec dotnet bench/AspireNotify.Bench/bin/Release/net10.0/AspireNotify.Bench.dll "$@"
