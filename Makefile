# release-embed. A newcomer runs `make demo` or `make test`; both install what they need first.
.PHONY: help setup setup-browser dist test-dist test-dist-files test-cli test-steps cli demo-archive bench-archive bench-keys size size-check bench fuzz demo test test-native test-wasm test-types test-e2e test-e2e-archive test-quick lint clean

PORT ?= 8080
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

help:
	@echo "make demo        build and serve the demo on http://127.0.0.1:$(PORT)/ (PORT= to change)"
	@echo "make test        every test: lint, native, wasm in Chromium, types, size, end to end on feeds and archives"
	@echo "make test-quick  the edit loop: native tests and an end-to-end smoke test"
	@echo "make dist        release build into dist/;  make size  sizes of dist/ and of each journey"
	@echo "make bench       the benchmark: the widget against List.js + marked + DOMPurify and Pagefind"
	@echo "make fuzz        the fuzz targets, 60 s each"
	@echo "CONTRIBUTING.md lists every target"

setup:
	tools/setup.sh build

# After setup: the two would otherwise install the same things at once under make -j.
setup-browser: setup
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
# The names bench/archive.mjs --body-words uses too.
ARCHIVE_WORDS_SUFFIX = $(if $(filter-out 600,$(ARCHIVE_BODY_WORDS)),-w$(ARCHIVE_BODY_WORDS))
ARCHIVE_FEED = bench/out/feed-$(ARCHIVE_SIZE)$(ARCHIVE_WORDS_SUFFIX).json
ARCHIVE_DIR = bench/out/archive-$(ARCHIVE_SIZE)$(ARCHIVE_WORDS_SUFFIX)
bench-archive: cli
	node bench/generate.mjs --sizes $(ARCHIVE_SIZE) --body-words $(ARCHIVE_BODY_WORDS)
	rm -rf $(ARCHIVE_DIR)
	/usr/bin/time -v target/release/release-embed archive $(ARCHIVE_FEED) --out $(ARCHIVE_DIR) --include-future 2>&1 | grep -E "release-embed|Elapsed|Maximum resident"
	du -sb $(ARCHIVE_DIR)
	target/release/release-embed views $(ARCHIVE_DIR) --check

size: dist
	@tools/size.sh dist
	@node tools/journeys.mjs dist

# Ceilings, gzip -9, so that growth is a decision and not an accident: what a reader downloads
# before the first list (the script and the list view's wasm), every file of dist/ together, and
# the code of each journey (tools/size-budget.json, each at its measured value).
# docs/performance.md has the current figures.
size-check: test-dist-files
	@tools/size.sh dist 160800 386000
	@node tools/journeys.mjs dist tools/size-budget.json

# The demo's feed as an archive too (www/archive/, served at /archive/; the demo page links to
# archive.html, the same widget reading it), with a page per release at /archive/releases/<id>/,
# the sitemap and the feeds (docs/release-pages.md).
demo-archive: dist
	rm -rf www/archive
	target/release/release-embed archive www/releases.json --out www/archive --include-future \
		--site-url http://127.0.0.1:$(PORT)/archive/ --newsroom ../archive.html
	# The feed's relative image addresses resolve against the manifest's, as they did against the feed's.
	cp -r www/images www/archive/images

demo: dist demo-archive
	PORT=$(PORT) node tools/serve.mjs

# Widget against a List.js + marked + DOMPurify page (not part of test): the first visit on a
# throttled phone, then 1,000 to 100,000 releases, the keystrokes again with vsync on, and the
# archive section (the widget on an archive and on the feed, Pagefind; 10,000 and 100,000).
bench: setup-browser dist
	node bench/run.mjs --first-load --runs 5
	node bench/run.mjs
	node bench/run.mjs --vsync --sizes 1000,10000 --runs 3
	node bench/archive.mjs

# Where a keystroke's time goes at 10,000 releases, vsync on (a Chrome trace; not part of bench).
bench-keys: setup-browser dist
	node bench/profile-keys.mjs --size 10000

# Each fuzz target for a bounded time (FUZZ_SECONDS, default 60; not part of test).
fuzz:
	tools/fuzz.sh

# Clippy on the workspace, then on the feature sets the release build compiles apart: the list
# view's (with and without split points) and the archive part's (the crate without the widget).
lint: setup
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --lib --no-default-features --features widget -- -D warnings
	cargo clippy --lib --no-default-features --features widget,split -- -D warnings
	cargo clippy -p release-embed-archive -- -D warnings

test-native:
	cargo test --workspace

# Only tests/dom.rs has browser tests; the other test files are native-only.
test-wasm: setup-browser
	tools/wasm-cargo test --test dom

# What the tests run against: dist/ as `make dist` builds it, and the archive command from the
# test profile (target/debug/release-embed), passed to the end-to-end files as RELEASE_EMBED.
# `make dist`'s optimised command took longer to compile (about 200 s of CPU) than any suite
# takes to run; the code is the same.
test-dist: test-dist-files test-cli
test-dist-files: setup
	tools/build-dist.sh
test-cli:
	cargo build -p release-embed-cli
test-e2e test-e2e-archive: export RELEASE_EMBED = $(CURDIR)/target/debug/release-embed

# The published types, compiled strictly against code that uses the API as the README shows.
test-types: setup test-dist-files
	tsc -p tests/types/tsconfig.json

# The end-to-end files run E2E_JOBS at a time. They share no state: each starts its own browser
# and its own server on a free port, and a file that builds something builds it in a temporary
# folder of its own. Most of a file's time is waiting (network, timers, idle callbacks), not CPU.
# The longest files start first, so that none of them starts last and runs on alone.
E2E_JOBS ?= 3
E2E_LONGEST = embed layouts listeners a11y first large bodies filter chunks api
E2E_ALL = $(wildcard tests/e2e/*.test.mjs)
E2E_FILES = $(filter $(E2E_ALL),$(E2E_LONGEST:%=tests/e2e/%.test.mjs)) $(filter-out $(E2E_LONGEST:%=tests/e2e/%.test.mjs),$(E2E_ALL))
test-e2e: setup-browser test-dist
	node --test --test-concurrency=$(E2E_JOBS) $(E2E_FILES)

# The reader's suites again with the widget on archives instead of feeds (E2E_SOURCE=archive: the
# harness serves each feed's archive, built here once, at the feed's address). Not run this way:
# the suites about reading feeds (formats, xml-feeds, faults on feed addresses, limits/max-bytes,
# large feeds, bodies in each markup), the build and security suites that do not depend on where
# releases come from (csp, xss, parts, vite, themes), and archive.test.mjs, which is about
# archives already and runs in test-e2e. Longest first, as above.
E2E_ARCHIVE_SUITES = listeners layouts embed a11y filter api keys spanish paging keyboard
test-e2e-archive: setup-browser test-dist
	node tests/e2e/build-archives.mjs
	E2E_SOURCE=archive node --test --test-concurrency=$(E2E_JOBS) $(E2E_ARCHIVE_SUITES:%=tests/e2e/%.test.mjs)

# The edit loop: the native tests beside dist/ (rebuilt only when a file it is built from changed:
# dist/.stamp; make test always rebuilds it), then the quickest end-to-end smoke test (the demo
# under a strict CSP: the list, a search, a release with its body and Share this).
DIST_SOURCES = $(shell git ls-files --cached --others --exclude-standard src parts js cli Cargo.toml Cargo.lock build.rs tools/build-dist.sh tools/wasm-cargo tools/split-loader.mjs tools/drop-link-sections.mjs 2>/dev/null)
dist/.stamp: $(DIST_SOURCES)
	$(MAKE) test-dist
	touch $@
test-quick: setup-browser
	$(MAKE) --no-print-directory -j2 --output-sync=target dist/.stamp test-native
	node --test tests/e2e/csp.test.mjs

# Every test. The steps run beside each other (make -j; each step's output is printed whole when
# it ends), in the order below:
#   - dist/ (target/debian-small), the wasm DOM tests (target/debian) and the cargo steps on
#     target/ each use their own cargo build folder. The cargo steps on target/ run one after
#     another (cargo's lock would make them wait anyway): the command first, which the end-to-end
#     steps need, then lint, then the native tests.
#   - the end-to-end files on feeds and on archives, the types and the size ceilings start when
#     dist/ (and the command) are built, and run beside each other and the rest.
#   - the steps nothing waits for (lint, native and wasm tests) run at a lower priority (nice), so
#     that the longest chain, dist/ then the end-to-end files, is not slowed by them.
# Each recipe line says how long it took ("make-time: …", tools/timed-sh); a step that fails says
# so, the others already running finish, and the run ends by listing what failed.
TEST_JOBS ?= 8
test: SHELL = tools/timed-sh
test: .SHELLFLAGS = $@ -c
test:
	mkdir -p target && rm -f target/make-test.failed && MAKE_TEST_FAILED=$(CURDIR)/target/make-test.failed $(MAKE) --no-print-directory -j$(TEST_JOBS) --output-sync=target MAKE_TEST=1 test-steps \
		|| { echo "make test failed:"; sed 's/^/  /' target/make-test.failed 2>/dev/null; exit 1; }

test-steps: SHELL = tools/timed-sh
test-steps: .SHELLFLAGS = $@ -c
test-steps: lint test-native test-wasm test-types size-check test-e2e test-e2e-archive
ifdef MAKE_TEST
lint: | test-cli
test-native: | lint
export MAKE_NICE
lint test-native test-wasm: MAKE_NICE = 10
# Their prerequisites would inherit it: these are on the longest chain, or quick.
setup setup-browser test-cli: MAKE_NICE = 0
endif

clean:
	rm -rf target dist pkg
