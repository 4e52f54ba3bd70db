#!/usr/bin/env bash
# Local stand-ins for the Azure services the integration tests run against.
#   tools/test-services.sh install   install azurite and @vercel/cosmosdb-server (pinned in
#                                    tools/test-services/package.json) into tools/test-services/node_modules
# The tests start and stop the servers themselves (see SalesFlow.Tests/Support/AzuriteFixture.cs).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="$here/test-services"

usage() {
  echo "usage: $0 install" >&2
  exit 2
}

case "${1:-}" in
  install)
    command -v npm >/dev/null 2>&1 || { echo "npm is required (Node.js 20+)" >&2; exit 1; }
    cd "$dir"
    # Skip when node_modules already holds exactly what package-lock.json pins (npm ci always starts over).
    stamp="node_modules/.salesflow-lock.sha256"
    if [[ -f "$stamp" ]] && sha256sum --status -c "$stamp" 2>/dev/null; then
      exit 0
    fi
    if [[ -f package-lock.json ]]; then
      npm ci --no-audit --no-fund
    else
      npm install --no-audit --no-fund
    fi
    sha256sum package-lock.json > "$stamp"
    ;;
  *)
    usage
    ;;
esac
