# Sourced by the other scripts: selects the toolchain that scripts/bootstrap.sh set up.
#
# Two worlds:
#   rustup  — a normal machine where `rustup target add wasm32-unknown-unknown` works.
#   debian  — no wasm32 std from rustup (this project's CI machines): Debian's matched
#             rustc-web/cargo-web 1.96 build std for wasm32 from source with -Zbuild-std.
# The choice is remembered in ~/.cargo/jiebang-toolchain; JIEBANG_TOOLCHAIN overrides it.

JIEBANG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JIEBANG_ROOT
JIEBANG_TOOLCHAIN_FILE="$HOME/.cargo/jiebang-toolchain"
export PATH="$HOME/.cargo/bin:$PATH"
JIEBANG_TOOLCHAIN="${JIEBANG_TOOLCHAIN:-$(cat "$JIEBANG_TOOLCHAIN_FILE" 2>/dev/null || echo unset)}"
export JIEBANG_TOOLCHAIN

# Tools installed from the npm registry by scripts/bootstrap.sh (binaryen's wasm-opt); first on
# the PATH, ahead of any older system copy.
JIEBANG_TOOLS="$HOME/.cache/jiebang-tools"
export JIEBANG_TOOLS

# Extra arguments for `cargo leptos` and for wasm32 cargo commands. `--split` cuts the wasm
# into the shell and one piece per page (the lazy routes in src/ui/app.rs); the lazy routes
# need it, a build without it does not load in the browser.
JIEBANG_LEPTOS_ARGS=(--split)
JIEBANG_WASM_ARGS=()
if [ "$JIEBANG_TOOLCHAIN" = debian ]; then
  # Debian's cargo and rustc first; cargo-leptos and wasm-bindgen stay reachable in ~/.cargo/bin.
  export PATH="/usr/bin:$PATH"
  # -Zbuild-std on a stable compiler.
  export RUSTC_BOOTSTRAP=1
  if [ -z "${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER:-}" ]; then
    rustup_lld="$(rustup run stable rustc --print sysroot 2>/dev/null)/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld"
    if [ -x "$rustup_lld" ]; then
      export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$rustup_lld"
    elif command -v wasm-ld >/dev/null 2>&1; then
      export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$(command -v wasm-ld)"
    fi
  fi
  JIEBANG_LEPTOS_ARGS+=(--lib-cargo-args=-Zbuild-std=std,panic_abort)
  JIEBANG_WASM_ARGS=(-Zbuild-std=std,panic_abort)
fi

# leptos_config reads LEPTOS_OUTPUT_NAME at compile time and cargo-leptos sets it; setting it
# for plain cargo commands too keeps `cargo test` and `cargo leptos build` from rebuilding
# each other's leptos crates.
export LEPTOS_OUTPUT_NAME=jiebang

# Where cargo puts build output (shared by cargo test and cargo leptos).
JIEBANG_TARGET_DIR="${CARGO_TARGET_DIR:-$JIEBANG_ROOT/target}"
export JIEBANG_TARGET_DIR

export PATH="$JIEBANG_TOOLS/node_modules/.bin:$PATH"
