#!/usr/bin/env bash
# A real full disk under a running SalesFlow (Linux, root; needs unshare and a tmpfs mount):
#   sudo bash tools/disk-full.sh [messages]
# Puts the data folder on a small private tmpfs, fills it while WhatsApp webhooks arrive, reads /ready and /health,
# frees the disk and checks that every acknowledged (200) message gets exactly one reply without a restart.
# Build first: dotnet build SalesFlow.sln -c Release
set -euo pipefail
if [[ "${SALESFLOW_DISK_FULL_INSIDE:-}" != 1 ]]; then
  exec env SALESFLOW_DISK_FULL_INSIDE=1 unshare -m --propagation private bash "$0" "$@"
fi

messages="${1:-40}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
port=7399 key=sf_disk secret=disksecret name=Disk
source "$root/tools/lib/webhook-probe.sh"
mount -t tmpfs -o size=24m tmpfs "$work"
start_app
trap 'kill $app 2>/dev/null || true' EXIT

# Leave 256 KiB: intake still fits now and then, a turn's writes mostly do not.
dd if=/dev/zero of="$work/fill" bs=64k count=$(( ($(df --output=avail -k "$work" | tail -1) - 256) / 64 )) 2>/dev/null || true
accepted=0
for i in $(seq 1 "$messages"); do
  [[ "$(send "4917077$(printf '%05d' "$i")" "wamid.disk$i")" == 200 ]] && accepted=$((accepted + 1))
done
echo "acknowledged (200): $accepted of $messages (the rest 5xx: not stored, the provider retries)"
sleep 5
echo "ready while full: $(curl -s -w ' (%{http_code})' "$url/ready")"
echo "health while full: $(curl -s "$url/health")"
sleep 20
rm -f "$work/fill"
echo "disk freed"
for _ in $(seq 1 120); do read -r leads most < <(replies); [[ "$leads" -ge "$accepted" ]] && break; sleep 1; done
read -r leads most < <(replies)
echo "answered leads: $leads of $accepted acknowledged; most replies to one lead: $most"
wait_ready
[[ "$leads" -ge "$accepted" && "$most" -le 1 ]]
