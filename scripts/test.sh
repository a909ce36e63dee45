#!/usr/bin/env bash
# Runs every check and test, in order: formatting, clippy (server and wasm), unit and
# integration tests, then the Playwright suite against the real built server.
set -euo pipefail  # pipefail: a failing test run fails the script even through `tee`
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
# shellcheck source=scripts/env.sh
source scripts/env.sh

step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }
started=$SECONDS

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (ssr)"
cargo clippy --features ssr --all-targets -- -D warnings

step "clippy (hydrate, wasm32)"
cargo clippy --lib --features hydrate --target wasm32-unknown-unknown "${JIEBANG_WASM_ARGS[@]}" -- -D warnings

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

step "unit and integration tests"
# A hung test must fail the run, not eat CI's time limit (the budget includes a cold build).
timeout 1800 cargo test --features ssr 2>&1 | tee "$logs/cargo-test.log"

step "build the site (cargo leptos build)"
cargo leptos build "${JIEBANG_LEPTOS_ARGS[@]}"
# Once here, not in each of the servers the suite starts (they would all do it at once).
JIEBANG_SITE_ROOT=target/site "$JIEBANG_TARGET_DIR/debug/jiebang" compress

step "end-to-end tests (Playwright, Debian chromium)"
export JIEBANG_BIN="$JIEBANG_TARGET_DIR/debug/jiebang"
(cd end2end && npx playwright test) 2>&1 | tee "$logs/playwright.log"

unit=$(awk '/^test result: ok\./ { n += $4 } END { print n + 0 }' "$logs/cargo-test.log")
e2e=$(sed -E 's/\x1b\[[0-9;]*m//g' "$logs/playwright.log" | awk '/^ *[0-9]+ passed/ { n = $1 } END { print n + 0 }')
printf '\n\033[1;32mall checks passed in %ss\033[0m (%s unit/integration, %s end-to-end)\n' "$((SECONDS - started))" "$unit" "$e2e"
echo "summary: $((unit + e2e)) passed, 0 failed"
