#!/usr/bin/env bash
# The proof suites behind README.md's "Reliability" table. Each runs against the release build
# and prints one summary line with its figure; the last lines repeat them all.
#
#   scripts/proof.sh                 every suite but the hour-long soak
#   scripts/proof.sh crash load      the suites named (crash concurrency fuzz access load soak
#                                    disk backup large)
#
# Run it after the README's setup (scripts/bootstrap.sh). The quick parts of these suites run
# in the normal test command (scripts/test.sh); these are the long ones. The disk suite mounts
# a small tmpfs, so it needs root (it says so and fails otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
# shellcheck source=scripts/env.sh
source scripts/env.sh

all=(crash concurrency fuzz access load disk backup large)
suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=("${all[@]}")

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
summary=()
failed=0

# suite NAME TEST [FILTER --ignored]: runs one test target in release, keeps its PROOF lines.
suite() {
  local name=$1 target=$2
  shift 2
  printf '\n\033[1;34m==> %s\033[0m\n' "$name"
  local started=$SECONDS
  if cargo test --release --features ssr --test "$target" -- --nocapture --test-threads 1 "$@" \
    2>&1 | tee "$logs/$name.log"; then
    :
  else
    failed=1
    summary+=("$name: FAILED (see the output above)")
    return
  fi
  # The test harness may print a test's name on the same line, before its output.
  while IFS= read -r line; do
    summary+=("${line#PROOF }")
  done < <(grep -ao 'PROOF .*' "$logs/$name.log")
  summary+=("  ($name took $((SECONDS - started)) s)")
}

for s in "${suites[@]}"; do
  case "$s" in
    crash) suite crash crash proof_crash --ignored ;;
    concurrency) suite concurrency concurrency ;;
    fuzz) suite fuzz fuzz proof_fuzz --ignored ;;
    access) suite access access ;;
    load) suite load load proof_load --ignored ;;
    soak) suite soak load proof_soak --ignored ;;
    disk) suite disk disk proof_disk_full --ignored ;;
    backup) suite backup backup ;;
    large) suite large large proof_large_plan --ignored ;;
    *) echo "unknown suite: $s (known: ${all[*]} soak)" >&2; exit 2 ;;
  esac
done

printf '\n\033[1;32m==> summary\033[0m (%s, %s, %s cores)\n' "$(date -u +%Y-%m-%d)" "$(uname -m)" "$(nproc)"
printf '%s\n' "${summary[@]}"
exit $failed
