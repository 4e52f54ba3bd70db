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
port=7398
url="http://127.0.0.1:$port"
mkdir -p "$work/data"
cd "$root/SalesFlow.Functions/bin/Release/net10.0"
SALESFLOW_DATA_DIR="$work/data" ASPNETCORE_URLS="$url" SALESFLOW_DEMO_API_KEY=sf_ro SALESFLOW_DEMO_WHATSAPP_APP_SECRET=rosecret \
  Conversation__BurstWindow=00:00:00.300 dotnet SalesFlow.Functions.dll > "$work.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true; chattr -R -i "$work" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/ready")" == 200 ]] && break; sleep 0.2; done

send() { # waId wamid → HTTP status
  local body sig
  body=$(printf '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"1"},"contacts":[{"profile":{"name":"Ro"},"wa_id":"%s"}],"messages":[{"from":"%s","id":"%s","timestamp":"1700000000","type":"text","text":{"body":"Hi, what does your CRM cost for 5 people?"}}]}}]}]}' "$1" "$1" "$2")
  sig=$(printf '%s' "$body" | openssl dgst -sha256 -hmac rosecret | awk '{print $2}')
  curl -s -o /dev/null -w '%{http_code}' -X POST "$url/api/webhooks/whatsapp/demo" -H 'Content-Type: application/json' -H "X-Hub-Signature-256: sha256=$sig" --data-binary "$body"
}
replies() { curl -s "$url/api/outbox?limit=1000" -H 'Authorization: Bearer sf_ro' | python3 -c 'import json,sys,collections;c=collections.Counter(i["recipient"] for i in json.load(sys.stdin)["items"]);print(len(c), max(c.values()) if c else 0)'; }

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
for _ in $(seq 1 60); do [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/ready")" == 200 ]] && break; sleep 1; done
echo "ready after: $(curl -s -w ' (%{http_code})' "$url/ready")"
[[ "$accepted" -eq "$messages" && "$leads" -ge "$messages" && "$most" -le 1 ]]
