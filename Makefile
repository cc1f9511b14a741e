# release-embed. A newcomer runs `make demo` or `make test`; both install what they need first.
.PHONY: help setup setup-browser dist size size-check bench fuzz demo test test-native test-wasm test-types test-e2e lint clean

PORT ?= 8080
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

help:
	@echo "make demo   build and serve the demo on http://127.0.0.1:$(PORT)/ (PORT= to change)"
	@echo "make test   every test: native, wasm in Chromium, end-to-end in Chromium"
	@echo "make dist   release build into dist/;  make size  sizes of dist/"
	@echo "make bench  the benchmark: widget against a List.js baseline, in Chromium"
	@echo "make fuzz   the fuzz targets, 60 s each"

setup:
	tools/setup.sh build

setup-browser:
	tools/setup.sh browser

dist: setup
	tools/build-dist.sh

size: dist
	@tools/size.sh dist

# Ceilings, gzip -9, so growth is a decision and not an accident (README, Size): what a reader
# downloads before the first list is painted (the script and the list view's wasm), and every
# file of dist/ together (with the lazily loaded parts) at most 240 kB. The first-load target is
# 130 kB (issue 11); the split reached 161.6 kB, so the ceiling holds that (with room for the
# branches in flight) until the next cuts.
size-check: dist
	@tools/size.sh dist 165000 240000

demo: dist
	PORT=$(PORT) node tools/serve.mjs

# Widget against a List.js + marked + DOMPurify page (not part of test): the first visit on a
# throttled phone, then 1,000 to 100,000 releases.
bench: setup-browser dist
	node bench/run.mjs --first-load
	node bench/run.mjs

# Each fuzz target for a bounded time (FUZZ_SECONDS, default 60; not part of test).
fuzz:
	tools/fuzz.sh

lint: setup
	cargo fmt --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --lib --no-default-features --features widget -- -D warnings

test-native:
	cargo test

test-wasm: setup-browser
	tools/wasm-cargo test --tests

# The published types, compiled strictly against code that uses the API as the README shows.
test-types: setup dist
	tsc -p tests/types/tsconfig.json

test-e2e: setup-browser dist
	node --test --test-concurrency=1 tests/e2e/

test: lint test-native test-wasm test-types size-check test-e2e

clean:
	rm -rf target dist pkg
