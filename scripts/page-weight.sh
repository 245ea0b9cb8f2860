#!/usr/bin/env bash
# Prints the compressed bytes a pupil downloads for the lesson page and a quiz question page
# (HTML + CSS + JS + wasm), with gzip and with brotli. Needs a running server:
#   scripts/demo.sh            # in another terminal
#   scripts/page-weight.sh     # BASE=http://127.0.0.1:3000 by default
set -euo pipefail
BASE="${BASE:-http://127.0.0.1:3000}"
LESSON="${LESSON:-/bai-hoc/nhan-dien-lien-ket-gia-mao}"
jar="$(mktemp)"
trap 'rm -f "$jar"' EXIT

size() { # url encoding
  curl -s -b "$jar" -c "$jar" -H "Accept-Encoding: $2" -o /dev/null -w '%{size_download}' "$1"
}

# Start a practice attempt the way a browser without JavaScript does, to get a quiz page.
action=$(curl -s -b "$jar" -c "$jar" "$BASE$LESSON" | grep -o 'action="/api/start_practice[^"]*"' | head -n1 | cut -d'"' -f2)
quiz=$(curl -s -b "$jar" -c "$jar" -o /dev/null -w '%{redirect_url}' -X POST \
  -H 'Accept: text/html' -H "Referer: $BASE$LESSON" --data 'scope=topic:lien-ket-gia-mao' "$BASE$action")
quiz="${quiz#"$BASE"}"

printf '%-28s %10s %10s\n' "resource" "gzip (B)" "brotli (B)"
for page in "$LESSON" "$quiz"; do
  total_gz=0; total_br=0
  # Count the script and the wasm only when the page loads them (pages with an island).
  resources=("$page" /pkg/khien-so.css)
  if curl -s -b "$jar" "$BASE$page" | grep -q 'khien-so.js'; then
    resources+=(/pkg/khien-so.js /pkg/khien-so_bg.wasm)
  fi
  for res in "${resources[@]}"; do
    gz=$(size "$BASE$res" gzip); br=$(size "$BASE$res" br)
    total_gz=$((total_gz + gz)); total_br=$((total_br + br))
    label="$res"; [ "$res" = "$page" ] && label="HTML ${page:0:23}"
    printf '%-28s %10d %10d\n' "${label##*/pkg/}" "$gz" "$br"
  done
  printf '%-28s %10d %10d\n\n' "TOTAL" "$total_gz" "$total_br"
done
