#!/usr/bin/env bash
# Runs the whole SalesFlow test suite on a fresh machine that has only the .NET SDK and Node/npm:
# installs the local Azure stand-ins (Azurite, Cosmos DB stand-in) when tools/test-services
# exists, builds, and runs every test (unit, integration, end-to-end). The fixtures start and
# stop the test servers themselves on free loopback ports.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ -f tools/test-services.sh ]; then
  bash tools/test-services.sh install
fi

# The console's browser tests drive Debian's chromium (Playwright is told its path and never downloads a browser).
# `env` carries the variable whether or not sudo is used (as root, "$sudo VAR=x cmd" would run "VAR=x" as a command).
if [ ! -x /usr/bin/chromium ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  if ! { $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null; then
    echo "tools/test.sh: could not install chromium with apt-get (needed by the browser tests in SalesFlow.Tests/Browser);" >&2
    echo "install it yourself: sudo apt-get install -y chromium (it must end up at /usr/bin/chromium)" >&2
    exit 1
  fi
fi

dotnet build SalesFlow.sln -c Release --nologo -v quiet
log="$(mktemp)"
set +e
dotnet test SalesFlow.sln -c Release --no-build --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line, summed over test assemblies: "N passed, N failed, N skipped".
awk '/(Passed|Failed)! +- +Failed: /{
       for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { gsub(",", "", f); printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
