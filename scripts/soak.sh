#!/usr/bin/env bash
# The churn soak (docs/reliability.md): builds the reference app and the harness in Release, starts the app as its own
# process, and churns connections through its rooms in waves while chatters chat; then checks memory, timers, open
# files, connections and group membership against their levels after the first wave, and that no message was lost.
#   scripts/soak.sh                  about 5 minutes, 2,000 connections a wave
#   scripts/soak.sh --quick          about 30 seconds, 500 a wave
#   scripts/soak.sh --seconds 600 --connections 3000
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Each wave holds its connections open together, on both ends of the loopback, in two processes.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || ulimit -n 65536 2>/dev/null || true
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build benchmarks/Switchboard.Reliability -c Release -nologo -v quiet -clp:ErrorsOnly\;NoSummary
exec dotnet benchmarks/Switchboard.Reliability/bin/Release/net10.0/Switchboard.Reliability.dll soak --chat samples/Chat/bin/Release/net10.0/Chat.dll "$@"
