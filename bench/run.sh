#!/usr/bin/env bash
# Runs one load scenario against Debian's redis-server and API replicas started directly from a Release build, or
# every scenario at a tiny size (smoke). Usage: bench/run.sh <idle|latency|broadcast|storm|soak|smoke> [--name value …]
set -euo pipefail
cd "$(dirname "$0")/.."

command -v redis-server >/dev/null 2>&1 || { echo "bench needs redis-server: apt-get install -y redis-server" >&2; exit 1; }
# Tens of thousands of sockets on both ends of loopback: raise the descriptor limit as far as allowed.
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build Notifications.Api -c Release -v quiet --nologo
dotnet build bench/AspireNotify.Bench -c Release -v quiet --nologo
exec dotnet bench/AspireNotify.Bench/bin/Release/net10.0/AspireNotify.Bench.dll "$@"
