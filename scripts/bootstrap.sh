#!/usr/bin/env bash
# Installs and checks everything jiebang needs to build, run and test, on a fresh Debian 12
# machine or a developer laptop. Idempotent: when all is in place it only checks (seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

CARGO_LEPTOS_VERSION=0.3.11
# wasm-bindgen's CLI must be exactly the version of the crate in Cargo.lock.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"

say() { printf '\033[1;34m[bootstrap]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[bootstrap]\033[0m %s\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 && SUDO="sudo" || SUDO=""
fi

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing packages (${missing[*]}) and no apt-get: install them by hand"
  say "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# 1. Which world are we in? Remember the answer so later runs do not probe again.
mode_file="$HOME/.cargo/jiebang-toolchain"
mkdir -p "$HOME/.cargo"
mode="${JIEBANG_TOOLCHAIN:-$(cat "$mode_file" 2>/dev/null || true)}"
if [ -z "$mode" ] || [ "$mode" = unset ]; then
  if command -v rustup >/dev/null 2>&1 && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    mode=rustup
  elif command -v rustup >/dev/null 2>&1 && timeout 45 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
    mode=rustup
  else
    mode=debian
  fi
  echo "$mode" > "$mode_file"
fi
say "toolchain: $mode"

# 2. System packages: the browser for end-to-end tests, Node for Playwright, and in the
#    Debian world the matched compiler with its library source plus a wasm linker.
pkgs=(chromium ca-certificates)
command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
command -v npm >/dev/null 2>&1 || pkgs+=(npm)
if [ "$mode" = debian ]; then
  pkgs+=(rustc-web cargo-web rust-web-src rust-web-clippy)
  rustup_lld="$(rustup run stable rustc --print sysroot 2>/dev/null || true)/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld"
  [ -x "$rustup_lld" ] || pkgs+=(lld)
fi
apt_install "${pkgs[@]}"

export JIEBANG_TOOLCHAIN="$mode"
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"

if [ "$mode" = debian ]; then
  [ -d /usr/lib/rustlib/src/rust/library ] || die "rust-web-src did not install the std source"
  [ -n "${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER:-}" ] || die "no wasm linker (rust-lld or wasm-ld) found"
fi
command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust (rustup) first"

# 3. cargo-leptos, without its own downloads (a missing tool must fail loudly, not fetch).
#    Built in debug mode: its speed does not matter and that is several times faster to build.
#    Its lock file needs cargo >= 1.96: where the toolchain is older, use Debian's cargo-web
#    for this one install, or let cargo pick dependency versions this compiler supports.
cargo_minor() { "$1" --version 2>/dev/null | awk '{ split($2, v, "."); print v[2] + 0 }'; }
if [ "$(cargo-leptos --version 2>/dev/null || true)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (once; takes a few minutes)"
  if [ "$(cargo_minor cargo)" -ge 96 ]; then
    cargo install --locked --debug --features no_downloads "cargo-leptos@$CARGO_LEPTOS_VERSION"
  else
    command -v apt-get >/dev/null 2>&1 && apt_install rustc-web cargo-web
    if [ -x /usr/bin/cargo ] && [ "$(cargo_minor /usr/bin/cargo)" -ge 96 ]; then
      PATH="/usr/bin:$PATH" /usr/bin/cargo install --locked --debug --features no_downloads \
        --root "$HOME/.cargo" "cargo-leptos@$CARGO_LEPTOS_VERSION"
    else
      CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback \
        cargo install --debug --features no_downloads "cargo-leptos@$CARGO_LEPTOS_VERSION"
    fi
  fi
fi

# 4. wasm-bindgen CLI matching Cargo.lock (not --locked: its lock names a crate the registry lacks).
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback cargo install --force "wasm-bindgen-cli@$WASM_BINDGEN_VERSION"
fi

# 4b. wasm-opt, which release builds (cargo-leptos --release) run on the wasm: binaryen from the
#     npm registry (its own build for Node). Debian 12's binaryen 108 rewrites wasm-bindgen's
#     table of JavaScript values into one the browser refuses ("Table.set(): Argument 1 is
#     invalid"); scripts/env.sh puts this one first on the PATH.
BINARYEN_VERSION=132.0.0
if [ "$("$JIEBANG_TOOLS/node_modules/.bin/wasm-opt" --version 2>/dev/null | awk '{print $3}')" != "${BINARYEN_VERSION%%.*}" ]; then
  say "installing binaryen $BINARYEN_VERSION (wasm-opt, npm)"
  npm install --prefix "$JIEBANG_TOOLS" --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION"
fi

# 5. Playwright (the library only; the browser is Debian's chromium).
if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "installing Playwright (npm ci)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

# 6. Check.
[ -x /usr/bin/chromium ] || die "chromium missing"
say "ok: $(cargo --version), cargo-leptos $(cargo-leptos --version | awk '{print $2}'), wasm-bindgen $WASM_BINDGEN_VERSION, wasm-opt $(wasm-opt --version | awk '{print $3}'), $(node --version), $(/usr/bin/chromium --version 2>/dev/null | head -1)"
