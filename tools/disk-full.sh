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
port=7399
url="http://127.0.0.1:$port"
mount -t tmpfs -o size=24m tmpfs "$work"
mkdir -p "$work/data"
cd "$root/SalesFlow.Functions/bin/Release/net10.0"
SALESFLOW_DATA_DIR="$work/data" ASPNETCORE_URLS="$url" SALESFLOW_DEMO_API_KEY=sf_disk SALESFLOW_DEMO_WHATSAPP_APP_SECRET=disksecret \
  Conversation__BurstWindow=00:00:00.300 dotnet SalesFlow.Functions.dll > "$work.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/ready")" == 200 ]] && break; sleep 0.2; done

send() { # waId wamid → HTTP status
  local body sig
  body=$(printf '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"1"},"contacts":[{"profile":{"name":"Disk"},"wa_id":"%s"}],"messages":[{"from":"%s","id":"%s","timestamp":"1700000000","type":"text","text":{"body":"Hi, what does your CRM cost for 5 people?"}}]}}]}]}' "$1" "$1" "$2")
  sig=$(printf '%s' "$body" | openssl dgst -sha256 -hmac disksecret | awk '{print $2}')
  curl -s -o /dev/null -w '%{http_code}' -X POST "$url/api/webhooks/whatsapp/demo" -H 'Content-Type: application/json' -H "X-Hub-Signature-256: sha256=$sig" --data-binary "$body"
}
replies() { curl -s "$url/api/outbox?limit=1000" -H 'Authorization: Bearer sf_disk' | python3 -c 'import json,sys,collections;c=collections.Counter(i["recipient"] for i in json.load(sys.stdin)["items"]);print(len(c), max(c.values()) if c else 0)'; }

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
for _ in $(seq 1 60); do [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/ready")" == 200 ]] && break; sleep 1; done
echo "ready after: $(curl -s -w ' (%{http_code})' "$url/ready")"
[[ "$leads" -ge "$accepted" && "$most" -le 1 ]]
