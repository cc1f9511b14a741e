# release-embed. A newcomer runs `make demo` or `make test`; both install what they need first.
.PHONY: help setup setup-browser dist cli bench-archive bench-keys size size-check bench fuzz demo test test-native test-wasm test-types test-e2e lint clean

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
	$(MAKE) cli

# The native command, `release-embed archive` (see docs/archive.md), at target/release/release-embed.
cli:
	cargo build --profile cli -p release-embed-cli
	mkdir -p target/release && cp target/cli/release-embed target/release/release-embed

# The archive command on make bench's 100,000 releases: time and peak memory, then the bytes each
# view downloads against the budgets (docs/archive.md). Not part of test.
# ARCHIVE_SIZE=1000000 ARCHIVE_BODY_WORDS=50 is the issue's million-release build.
ARCHIVE_SIZE ?= 100000
ARCHIVE_BODY_WORDS ?= 600
ARCHIVE_FEED = bench/out/feed-$(ARCHIVE_SIZE)$(if $(filter-out 600,$(ARCHIVE_BODY_WORDS)),-w$(ARCHIVE_BODY_WORDS)).json
bench-archive: cli
	node bench/generate.mjs --sizes $(ARCHIVE_SIZE) --body-words $(ARCHIVE_BODY_WORDS)
	rm -rf bench/out/archive-$(ARCHIVE_SIZE)
	/usr/bin/time -v target/release/release-embed archive $(ARCHIVE_FEED) --out bench/out/archive-$(ARCHIVE_SIZE) --include-future 2>&1 | grep -E "release-embed|Elapsed|Maximum resident"
	du -sb bench/out/archive-$(ARCHIVE_SIZE)
	target/release/release-embed views bench/out/archive-$(ARCHIVE_SIZE) --check

size: dist
	@tools/size.sh dist

# Ceilings, gzip -9, so growth is a decision and not an accident (README, Size): what a reader
# downloads before the first list is painted (the script and the list view's wasm), and every
# file of dist/ together. Issue 11's targets are 130 kB and 240 kB; the split met them on its own
# branch's features (161.6 kB / 236 kB), and the RSS/Atom readers, the browser-rules cleaner with
# every named reference, the layouts and the listener work, merged after it, took the build to
# 201.7 kB / 288.0 kB. These ceilings hold that until the next cuts (the XML reader as a part).
size-check: dist
	@tools/size.sh dist 205000 292000

demo: dist
	PORT=$(PORT) node tools/serve.mjs

# Widget against a List.js + marked + DOMPurify page (not part of test): the first visit on a
# throttled phone, then 1,000 to 100,000 releases, the keystrokes again with vsync on, and the
# archive section (the widget on an archive and on the feed, Pagefind; 10,000 and 100,000).
bench: setup-browser dist
	node bench/run.mjs --first-load
	node bench/run.mjs
	node bench/run.mjs --vsync --sizes 10000 --runs 1
	node bench/archive.mjs

# Where a keystroke's time goes at 10,000 releases, vsync on (a Chrome trace; not part of bench).
bench-keys: setup-browser dist
	node bench/profile-keys.mjs --size 10000

# Each fuzz target for a bounded time (FUZZ_SECONDS, default 60; not part of test).
fuzz:
	tools/fuzz.sh

lint: setup
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --lib --no-default-features --features widget -- -D warnings

test-native:
	cargo test --workspace

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
