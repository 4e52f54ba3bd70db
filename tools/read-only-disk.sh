#!/usr/bin/env bash
# The data folder made read-only under a running SalesFlow (Linux, root on ext4/xfs/btrfs; needs chattr):
#   sudo bash tools/read-only-disk.sh [messages]
# A read-only remount is refused while SQLite holds its files open for writing, and chmod does not stop root or an open
# file, so the folder and its files are made immutable (chattr +i): every write then fails in the kernel (EPERM), as on
# a file system the kernel turned read-only. Half the WhatsApp webhooks arrive, the folder turns read-only at once
# (their turns are still to run), the other half arrive while it is; /ready and /health are read; the folder is made
# writable again and the provider's retries of what was refused arrive. Checks that every acknowledged (200) message
# gets exactly one reply, without a restart. Build first: dotnet build SalesFlow.sln -c Release
set -euo pipefail

messages="${1:-40}"
half=$(( messages / 2 ))
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d -p /var/tmp)"
port=7398 key=sf_ro secret=rosecret name=Ro
source "$root/tools/lib/webhook-probe.sh"
start_app
trap 'kill $app 2>/dev/null || true; chattr -R -i "$work" 2>/dev/null || true; rm -rf "$work"' EXIT

accepted=0
refused=()
for i in $(seq 1 "$half"); do
  [[ "$(send "4917088$(printf '%05d' "$i")" "wamid.ro$i")" == 200 ]] && accepted=$((accepted + 1)) || refused+=("$i")
done
chattr -R +i "$work/data"
echo "data folder read-only; acknowledged before: $accepted of $half"
during=0
for i in $(seq $(( half + 1 )) "$messages"); do
  status="$(send "4917088$(printf '%05d' "$i")" "wamid.ro$i")"
  if [[ "$status" == 200 ]]; then during=$((during + 1)); accepted=$((accepted + 1)); else refused+=("$i"); fi
done
echo "while read-only: $during of $(( messages - half )) acknowledged, ${#refused[@]} refused (5xx: not stored, the provider retries)"
sleep 5
echo "ready while read-only: $(curl -s -w ' (%{http_code})' "$url/ready")"
echo "health while read-only: $(curl -s "$url/health")"
sleep 10
chattr -R -i "$work/data"
echo "data folder writable again; the provider retries the ${#refused[@]} refused"
for i in "${refused[@]}"; do
  [[ "$(send "4917088$(printf '%05d' "$i")" "wamid.ro$i")" == 200 ]] && accepted=$((accepted + 1))
done
for _ in $(seq 1 120); do read -r leads most < <(replies); [[ "$leads" -ge "$messages" ]] && break; sleep 1; done
read -r leads most < <(replies)
echo "answered leads: $leads of $messages sent, $accepted acknowledged in all; most replies to one lead: $most"
wait_ready
[[ "$accepted" -eq "$messages" && "$leads" -ge "$messages" && "$most" -le 1 ]]
