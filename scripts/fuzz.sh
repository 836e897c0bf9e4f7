#!/usr/bin/env bash
# The fuzzers' long run (docs/reliability.md): builds the harness in Release, then runs every input class against the
# reference app for the given time, printing progress, every failure with its replay command, and the figures.
#   scripts/fuzz.sh                          300 s, a seed from the clock
#   scripts/fuzz.sh --seconds 300 --seed 7   the same inputs as any other run with seed 7
#   scripts/fuzz.sh --class frames,json      only some classes (frames, json, handshake, http)
#   scripts/fuzz.sh --seed 7 --replay frames:1234 --verbose   one input again, printed with its outcome
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
args=("$@")
[[ " ${args[*]} " == *" --seconds "* ]] || args+=(--seconds 300)
dotnet build benchmarks/Switchboard.Reliability -c Release -nologo -v quiet -clp:ErrorsOnly\;NoSummary
exec dotnet benchmarks/Switchboard.Reliability/bin/Release/net10.0/Switchboard.Reliability.dll fuzz "${args[@]}"
