#!/usr/bin/env bash
# Builds jiebang and starts it at http://127.0.0.1:3000 with the embedded SurrealKV store in
# ./data/ and the demo plan loaded on first start. `--release` builds optimised binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
# shellcheck source=scripts/env.sh
source scripts/env.sh

profile=debug
release=()
if [ "${1:-}" = "--release" ]; then
  profile=release
  release=(--release)
fi

cargo leptos build "${release[@]}" "${JIEBANG_LEPTOS_ARGS[@]}"

export JIEBANG_DB="${JIEBANG_DB:-surrealkv://./data/jiebang.db}"
export JIEBANG_ADDR="${JIEBANG_ADDR:-127.0.0.1:3000}"
export JIEBANG_SITE_ROOT="${JIEBANG_SITE_ROOT:-target/site}"
# The demo plan is 2022's: show it as of its 专题调度会 (2022-07-29) unless told otherwise
# (JIEBANG_TODAY= for the real calendar, or any YYYY-MM-DD).
export JIEBANG_TODAY="${JIEBANG_TODAY-2022-07-29}"
echo "jiebang: http://$JIEBANG_ADDR  (database: $JIEBANG_DB; Ctrl-C stops)"
exec "$JIEBANG_TARGET_DIR/$profile/jiebang" serve --demo
