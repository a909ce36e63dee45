#!/usr/bin/env bash
# Measures jiebang as a new user would: builds the release server, starts it on the demo data
# (in memory, as of the 2022-07-29 meeting), signs in, and loads the board, a task page and the
# 一览表 with wrk at 1, 16 and 64 connections; then weighs the first load (HTML + JS + wasm +
# CSS, as sent compressed) and checks that the assets may be cached for good.
#   scripts/bench.sh            all of it (10 s per run)
#   BENCH_SECONDS=30 scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh >/dev/null
# shellcheck source=scripts/env.sh
source scripts/env.sh
command -v wrk >/dev/null 2>&1 || {
  echo "[bench] apt-get install wrk"
  ${SUDO:-$( [ "$(id -u)" -ne 0 ] && echo sudo )} apt-get install -y -qq --no-install-recommends wrk >/dev/null
}

seconds="${BENCH_SECONDS:-10}"
port="${BENCH_PORT:-3300}"
base="http://127.0.0.1:$port"

echo "[bench] building the release server (cargo leptos build --release)"
cargo leptos build --release "${JIEBANG_LEPTOS_ARGS[@]}" >/dev/null 2>&1 ||
  cargo leptos build --release "${JIEBANG_LEPTOS_ARGS[@]}"

JIEBANG_DB=mem:// JIEBANG_ADDR="127.0.0.1:$port" JIEBANG_SITE_ROOT=target/site \
  JIEBANG_TODAY=2022-07-29 JIEBANG_LOG=warn \
  "$JIEBANG_TARGET_DIR/release/jiebang" serve --demo >/tmp/jiebang-bench.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs "$base/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

cookie="$(curl -s -D - -o /dev/null -H "origin: $base" -H 'accept: application/json' \
  --data 'username=linxh&password=jiebang2022' "$base/api/sign_in" |
  awk -F'[: ;]+' 'tolower($1) == "set-cookie" { print $2; exit }')"
[ -n "$cookie" ] || { echo "[bench] sign-in failed" >&2; exit 1; }

# wrk's summary: requests per second, and the 50th and 99th percentile latencies.
measure() {
  local name="$1" path="$2" conns="$3" threads=2
  [ "$conns" -lt 2 ] && threads=1
  wrk -t"$threads" -c"$conns" -d"${seconds}s" --latency \
    -H "Cookie: $cookie" -H 'Accept: text/html' -H 'Accept-Encoding: br, gzip' "$base$path" |
    awk -v name="$name" -v conns="$conns" '
      $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
      $1 == "Requests/sec:" { rps = $2 }
      /Non-2xx/ { bad = $NF }
      END { printf "%-10s %5d conns  %9.0f req/s  p50 %8s  p99 %8s%s\n", name, conns, rps, p50, p99, (bad ? "  NON-2xx: " bad : "") }'
}

echo
echo "== pages (release, signed in as a leader, wrk on the same machine, ${seconds}s each) =="
for conns in 1 16 64; do
  measure board / "$conns"
  measure task /tasks/dapeng-2022-01 "$conns"
  measure 一览表 "/?view=table" "$conns"
done

echo
echo "== first load of the board (as sent, compressed) =="
html="$(curl -s -H "Cookie: $cookie" -H 'Accept: text/html' "$base/")"
total=0
weigh() {
  local label="$1" url="$2" br gz
  br=$(curl -s -o /dev/null -H "Cookie: $cookie" -H 'Accept: text/html' -H 'Accept-Encoding: br' -w '%{size_download}' "$url")
  gz=$(curl -s -o /dev/null -H "Cookie: $cookie" -H 'Accept: text/html' -H 'Accept-Encoding: gzip' -w '%{size_download}' "$url")
  printf '%-42s brotli %7d B   gzip %7d B\n' "$label" "$br" "$gz"
  total=$((total + br))
}
weigh "board HTML" "$base/"
for asset in $(grep -o '/pkg/[^"]*\.\(js\|wasm\|css\)' <<<"$html" | sort -u); do
  weigh "$asset" "$base$asset"
done
printf '%-42s brotli %7d B (%d KB)\n' "first load" "$total" "$((total / 1024))"

echo
echo "== repeat visits =="
for asset in $(grep -o '/pkg/[^"]*\.\(js\|wasm\|css\)' <<<"$html" | sort -u); do
  printf '%-42s %s\n' "$asset" "$(curl -sI "$base$asset" | awk -F': ' 'tolower($1) == "cache-control" { sub(/\r/, "", $2); print $2 }')"
done
