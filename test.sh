#!/usr/bin/env bash
# Builds and packs Switchboard, then runs every test. Installs what the tests need where it can (as root: Chromium,
# nginx, systemd's systemd-analyze, redis-server, Django Channels).
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter "FullyQualifiedName~Routing"]
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the tests run for real: Chromium (browser tests), nginx and systemd-analyze (deployment docs),
# redis-server and Django Channels with channels_redis under Debian's /usr/bin/python3 (Redis layer and interop tests).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
[ -x /usr/bin/systemd-analyze ] || missing+=(systemd)
[ -x /usr/bin/redis-server ] || missing+=(redis-server)
/usr/bin/python3 -c "import channels_redis, channels, msgpack" >/dev/null 2>&1 || missing+=(python3-channels-redis python3-django-channels python3-msgpack)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing ${missing[*]} (Debian packages) for the tests"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "test.sh: ${missing[*]} missing and cannot be installed here; the tests that need them will fail (install these Debian packages)." >&2
  fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build Switchboard.slnx -c Release -nologo -clp:ErrorsOnly
# The NuGet packages of src/ (docs/packaging.md), from that build: a pack that fails fails the run.
rm -rf artifacts/packages
dotnet pack Switchboard.slnx -c Release --no-build -nologo -clp:ErrorsOnly -o artifacts/packages

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
