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
