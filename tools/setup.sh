#!/usr/bin/env bash
# Installs everything building and testing release-embed needs. Every step checks first, so
# running it again is quick and changes nothing. Called by `make demo`, `make test` and friends.
#
#   tools/setup.sh build    Rust for wasm32, wasm-bindgen CLI, wasm-split-cli, npm packages (esbuild, wasm-opt)
#   tools/setup.sh browser  the above plus Chromium and ChromeDriver for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)
want_browser=${1:-build}
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf 'setup: %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_missing=()
# The release build always uses Debian's Rust with its standard-library sources, which builds std
# for wasm32 with the size settings (tools/wasm-cargo says why); tests may use rustup's target.
[ -x /usr/bin/cargo ] || apt_missing+=(cargo-web rustc-web)
[ -d /usr/lib/rustlib/src/rust/library ] || apt_missing+=(rust-web-src)
if [ "$want_browser" = browser ]; then
  [ -x /usr/bin/chromium ] || apt_missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || apt_missing+=(chromium-driver)
fi
if [ ${#apt_missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${apt_missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  # No --locked: its lock file pins a crate version the registry no longer serves.
  cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# The splitter that cuts the list view's wasm into chunks (tools/build-dist.sh). No --version flag:
# cargo's own list says which version is installed.
WASM_SPLIT_VERSION=0.2.4
if ! cargo install --list 2>/dev/null | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  log "installing wasm-split-cli $WASM_SPLIT_VERSION (a few minutes, once)"
  cargo install -q --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
fi

# npm ci when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
