# Shared by the disk probes (tools/disk-full.sh, tools/read-only-disk.sh): start the built app on a data folder, send
# signed WhatsApp webhooks, count the replies in the outbox. Source it after setting: root, work (the probe's folder),
# port, key (the demo client's API key), secret (its WhatsApp app secret), name (the leads' profile name).

url="http://127.0.0.1:$port"

# Starts the Release build on "$work/data" (burst window 0.3 s) and waits for /ready; sets $app to its pid.
start_app() {
  mkdir -p "$work/data"
  (cd "$root/SalesFlow.Functions/bin/Release/net10.0" && SALESFLOW_DATA_DIR="$work/data" ASPNETCORE_URLS="$url" \
    SALESFLOW_DEMO_API_KEY="$key" SALESFLOW_DEMO_WHATSAPP_APP_SECRET="$secret" Conversation__BurstWindow=00:00:00.300 \
    exec dotnet SalesFlow.Functions.dll > "$work.log" 2>&1) &
  app=$!
  for _ in $(seq 1 300); do [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/ready")" == 200 ]] && break; sleep 0.2; done
}

send() { # waId wamid → HTTP status
  local body sig
  body=$(printf '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"1"},"contacts":[{"profile":{"name":"%s"},"wa_id":"%s"}],"messages":[{"from":"%s","id":"%s","timestamp":"1700000000","type":"text","text":{"body":"Hi, what does your CRM cost for 5 people?"}}]}}]}]}' "$name" "$1" "$1" "$2")
  sig=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" | awk '{print $2}')
  curl -s -o /dev/null -w '%{http_code}' -X POST "$url/api/webhooks/whatsapp/demo" -H 'Content-Type: application/json' -H "X-Hub-Signature-256: sha256=$sig" --data-binary "$body"
}

replies() { # → "<leads answered> <most replies to one lead>"
  curl -s "$url/api/outbox?limit=1000" -H "Authorization: Bearer $key" | python3 -c 'import json,sys,collections;c=collections.Counter(i["recipient"] for i in json.load(sys.stdin)["items"]);print(len(c), max(c.values()) if c else 0)'
}

wait_ready() { # after the trouble: /ready back to 200 within a minute
  for _ in $(seq 1 60); do [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/ready")" == 200 ]] && break; sleep 1; done
  echo "ready after: $(curl -s -w ' (%{http_code})' "$url/ready")"
}
