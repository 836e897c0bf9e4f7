#!/usr/bin/env bash
# Builds the reference app (samples/Chat) and the harness in Release, then runs the harness: every target (the Chat
# app, the raw Kestrel ceiling, SignalR, Django Channels when installed) through every workload, side by side, results
# in benchmarks/results/. Extra arguments go to the harness (docs/benchmarks.md, or `benchmarks/run.sh --help`):
#   benchmarks/run.sh              the full run (about 12 minutes on 2 cores)
#   benchmarks/run.sh --quick      a short smoke run
#   benchmarks/run.sh --docs       the full run, then rewrite the results in docs/benchmarks.md and its SVG charts
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# The idle workload holds 5,000 sockets open on each end of the loopback connection, all in this process tree.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || ulimit -n 65536 2>/dev/null || true
if (($(ulimit -n) < 12000)); then
  echo "run.sh: the open-file limit is $(ulimit -n); the idle workload needs about 10,100 (lower --idle-connections, or raise the hard limit)." >&2
fi

# The Chat app is built unless it is not a target, or an explicit --chat path is used as it is.
build_chat=1
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --targets) [[ ",${args[i + 1]:-}," == *,chat,* ]] || build_chat=0 ;;
    --chat) build_chat=0 ;;
    --help | -h) build_chat=0 ;;
  esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if ((build_chat)); then
  dotnet build samples/Chat -c Release -nologo -v quiet -clp:ErrorsOnly\;NoSummary
fi
dotnet build benchmarks/Switchboard.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly\;NoSummary

# exec: Ctrl+C reaches the harness directly, which stops its servers and reports what it measured.
exec dotnet benchmarks/Switchboard.Benchmarks/bin/Release/net10.0/Switchboard.Benchmarks.dll "$@"
