#!/usr/bin/env bash
# Measures jiebang as a new user would: builds the release server, starts it on the demo data
# (in memory, as of the 2022-07-29 meeting), signs in, and loads the board, a task page and the
# 一览表 by one sequential reader and with wrk at 16 and 64 connections (first with every
# request rendered, as right after a change, then as served between changes); then weighs the
# first load (HTML + JS + wasm + CSS, as sent compressed) and checks that the assets may be
# cached for good.
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
# As sent: the first-load figure below reads the files compressed at build quality.
JIEBANG_SITE_ROOT=target/site "$JIEBANG_TARGET_DIR/release/jiebang" compress

# Starts the release server on the demo data (JIEBANG_PAGE_CACHE=$1) and signs in as a leader.
server=""
start() {
  [ -n "$server" ] && { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
  JIEBANG_DB=mem:// JIEBANG_ADDR="127.0.0.1:$port" JIEBANG_SITE_ROOT=target/site \
    JIEBANG_TODAY=2022-07-29 JIEBANG_LOG=warn JIEBANG_PAGE_CACHE="$1" \
    "$JIEBANG_TARGET_DIR/release/jiebang" serve --demo >/tmp/jiebang-bench.log 2>&1 &
  server=$!
  for _ in $(seq 1 100); do
    curl -fs "$base/healthz" >/dev/null 2>&1 && break
    sleep 0.2
  done
  cookie="$(curl -s -D - -o /dev/null -H "origin: $base" -H 'accept: application/json' \
    --data 'username=linxh&password=jiebang2022' "$base/api/sign_in" |
    awk -F'[: ;]+' 'tolower($1) == "set-cookie" { print $2; exit }')"
  [ -n "$cookie" ] || { echo "[bench] sign-in failed" >&2; exit 1; }
}
trap '[ -n "$server" ] && kill $server 2>/dev/null || true' EXIT

# One reader asking again and again on one kept-alive connection: every request's own time
# (wrk's percentiles are unreliable with a single connection on this machine).
single() {
  local name="$1" path="$2"
  python3 - "$base" "$path" "$cookie" "$seconds" "$name" <<'PY'
import http.client, sys, time, urllib.parse
base, path, cookie, seconds, name = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]
url = urllib.parse.urlsplit(base)
conn = http.client.HTTPConnection(url.hostname, url.port)
headers = {"Cookie": cookie, "Accept": "text/html", "Accept-Encoding": "br, gzip"}
times, bad, end = [], 0, time.monotonic() + seconds
while time.monotonic() < end:
    start = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    times.append(time.perf_counter() - start)
    bad += response.status != 200
times.sort()
n = len(times)
ms = lambda q: times[min(n - 1, int(n * q))] * 1000
print(f"{name:<10} {1:5d} conns  {n / seconds:9.0f} req/s  p50 {ms(0.5):6.2f}ms  p99 {ms(0.99):6.2f}ms"
      + (f"  NON-200: {bad}" if bad else ""))
PY
}

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
echo "== every page rendered (JIEBANG_PAGE_CACHE=off): what a change costs =="
start off
single board /
single task /tasks/dapeng-2022-01
measure board / 64
measure task /tasks/dapeng-2022-01 64

start on
echo
echo "== pages (release, signed in as a leader, wrk on the same machine, ${seconds}s each) =="
single board /
single task /tasks/dapeng-2022-01
single 一览表 "/?view=table"
for conns in 16 64; do
  measure board / "$conns"
  measure task /tasks/dapeng-2022-01 "$conns"
  measure 一览表 "/?view=table" "$conns"
done

echo
echo "== a request that needs the database, beside 64 connections on the kept board =="
# /healthz asks the database every time: one reader asks it again and again while wrk keeps
# the board busy (what a sign-in or a fresh page waits for at a busy moment).
wrk -t2 -c64 -d"${seconds}s" -H "Cookie: $cookie" -H 'Accept-Encoding: br' "$base/" >/dev/null 2>&1 &
load=$!
sleep 1
python3 - "$base" "$((seconds - 2))" <<'PY'
import http.client, sys, time, urllib.parse
url = urllib.parse.urlsplit(sys.argv[1])
conn = http.client.HTTPConnection(url.hostname, url.port)
times, end = [], time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    start = time.perf_counter()
    conn.request("GET", "/healthz")
    conn.getresponse().read()
    times.append((time.perf_counter() - start) * 1000)
    time.sleep(0.01)
times.sort()
n = len(times)
print(f"/healthz      beside 64   {n:5d} answers  p50 {times[n // 2]:6.2f}ms  p99 {times[int(n * 0.99)]:6.2f}ms  max {times[-1]:.1f}ms")
PY
wait "$load" || true

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
# The shell's wasm, JS and CSS, and the split's loader (imported by the shell's JS).
for asset in $( (grep -o '/pkg/jiebang\.[^"]*\.\(js\|wasm\|css\)' <<<"$html"
  cd target/site && ls pkg/__wasm_split.*.js | sed 's|^|/|') | sort -u); do
  weigh "$asset" "$base$asset"
done
# The board's own pieces of the split wasm: the ones the split manifest lists for its lazy
# route (what the browser fetches before the board hydrates; the HTML preloads them when
# leptos has recorded the route in time, which it does not always).
read -r pieces piece_bytes < <(python3 - "$base" <<'PY'
import glob, http.client, json, sys, urllib.parse
url = urllib.parse.urlsplit(sys.argv[1])
manifest = json.load(open(glob.glob("target/site/pkg/__wasm_split_manifest.*.json")[0]))
pieces = next(v for k, v in manifest.items() if k.startswith("__board_route_view"))
conn, total = http.client.HTTPConnection(url.hostname, url.port), 0
for piece in pieces:
    conn.request("GET", f"/pkg/{piece}.wasm", headers={"Accept-Encoding": "br"})
    response = conn.getresponse()
    total += len(response.read())
print(len(pieces), total)
PY
)
total=$((total + piece_bytes))
printf '%-42s brotli %7d B (%d KB)\n' "the board's $pieces pieces of wasm" "$piece_bytes" "$((piece_bytes / 1024))"
printf '%-42s brotli %7d B (%d KB)\n' "first load" "$total" "$((total / 1024))"

echo
echo "== repeat visits (Cache-Control of each first-load asset) =="
for asset in $(grep -o '/pkg/[^"]*\.\(js\|wasm\|css\)' <<<"$html" | sort -u); do
  curl -sI "$base$asset" | awk -F': ' 'tolower($1) == "cache-control" { sub(/\r/, "", $2); print $2 }'
done | sort | uniq -c
