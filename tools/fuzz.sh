#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (FUZZ_SECONDS each, default 60). Needs rustup's
# nightly toolchain (on these machines) and cargo-fuzz, which it installs once.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
seconds=${FUZZ_SECONDS:-60}
command -v cargo-fuzz >/dev/null || cargo install -q cargo-fuzz
for target in $(cargo +nightly fuzz list); do
  echo "fuzz: $target for ${seconds}s"
  # Start from the hand-made fixtures, so the fuzzer begins with real feeds and bodies.
  mkdir -p "fuzz/corpus/$target"
  cp tests/fixtures/*.json tests/fixtures/*.xml "fuzz/corpus/$target/"
  cargo +nightly fuzz run "$target" -- -max_total_time="$seconds" -print_final_stats=0
done
echo "fuzz: every target ran clean"
