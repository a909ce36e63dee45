#!/usr/bin/env bash
# Runs every check and test, in order: formatting, clippy (server and wasm), unit and
# integration tests, then the Playwright suite against the real built server.
set -euo pipefail
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

step "unit and integration tests"
cargo test --features ssr

step "build the site (cargo leptos build)"
cargo leptos build "${JIEBANG_LEPTOS_ARGS[@]}"

step "end-to-end tests (Playwright, Debian chromium)"
export JIEBANG_BIN="$JIEBANG_TARGET_DIR/debug/jiebang"
(cd end2end && npx playwright test)

printf '\n\033[1;32mall checks passed in %ss\033[0m\n' "$((SECONDS - started))"
