#!/usr/bin/env bash
# Runs every Switchboard test. Installs what the tests need where it can (Chromium for the browser test, nginx for the
# deployment test; as root).
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter "FullyQualifiedName~Routing"]
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing chromium (Debian package) for the browser test"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
  else
    echo "test.sh: chromium is missing and cannot be installed here; the browser test will fail (install the Debian package 'chromium')." >&2
  fi
fi

if [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing nginx (Debian package) for the deployment test"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq nginx >/dev/null
  else
    echo "test.sh: nginx is missing and cannot be installed here; the deployment test will fail (install the Debian package 'nginx')." >&2
  fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build Switchboard.slnx -c Release -nologo -clp:ErrorsOnly

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Switchboard.slnx -c Release --no-build -nologo "$@" 2>&1 | tee "$log" || status=$?

# One plain closing line for the whole run: "N passed, N failed, N skipped".
awk '
  /(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+/ {
    gsub(/,/, ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
    found = 1
  }
  END { if (found) printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s; else print "Tests: no test summary found" }
' "$log"
exit "$status"
