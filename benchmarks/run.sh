#!/usr/bin/env bash
# Builds the reference app (samples/Chat) and the harness in Release, then runs the harness with its defaults:
# the Chat app and the ceiling side by side, results in benchmarks/results/. Extra arguments go to the harness
# (see docs/benchmarks.md, or `benchmarks/run.sh --help`).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# The Chat app is built unless it is not a target, or an explicit --chat path is used as it is.
build_chat=1
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --targets) [[ ",${args[i + 1]:-}," == *,chat,* ]] || build_chat=0 ;;
    --chat) build_chat=0 ;;
  esac
done

if ((build_chat)); then
  dotnet build samples/Chat -c Release -nologo -v quiet
fi
dotnet build benchmarks/Switchboard.Benchmarks -c Release -nologo -v quiet

# exec: Ctrl+C reaches the harness directly, which stops its servers and reports what it measured.
exec dotnet benchmarks/Switchboard.Benchmarks/bin/Release/net10.0/Switchboard.Benchmarks.dll "$@"
