// The archive section of the benchmark: the widget on an archive (`release-embed archive`), the
// widget on the same releases as one feed, and Pagefind (bench/pagefind/: one HTML page per
// release, indexed with the pagefind command, searched with its JS API), side by side.
//   node bench/archive.mjs [--sizes 10000,100000] [--contenders archive,feed,pagefind]
//                          [--body-words 600] [--timeout 180] [--rebuild] [--pagefind-memory-gb 12]
//                          [--out FILE]
// Builds what is missing (bench/out/archive-<N>/, bench/out/pagefind-<N>/, timed), then for each
// contender: the first list, a cold search typed key by key, the same word typed again (pieces
// already here), a topic and a year ticked with no search, two words and then a quoted phrase
// typed key by key (cold), memory and long tasks. Prints one
// table per size (with the issue's targets at 100,000: met or the gap) and writes the raw
// numbers to bench/archive-results.json. bench/README.md, "Archive section", says how each figure
// is measured.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import { join, relative, resolve } from "node:path";
import { chromium } from "playwright-core";
import { startServer, ROOT } from "../tools/serve.mjs";
import { BENCH, OUT, ensureFeed, feedPath } from "./generate.mjs";
import { writeSite } from "./pagefind/site.mjs";
import {
  MAX_BYTES, MOUNTS, PROBE, Timeout, cpuBusy, gzipSizeOfFile, launchArgs, log, median, percentile, prepare, rendererMemory, sleep, within,
} from "./run.mjs";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const CLI = join(ROOT, "target/release/release-embed");
const PAGEFIND = join(ROOT, "node_modules/@pagefind/linux-x64/bin/pagefind_extended");
const CONTENDERS = ["archive", "feed", "pagefind"];
const NAMES = { archive: "widget, archive", feed: "widget, feed", pagefind: "Pagefind" };
/** The word typed cold, then again once its pieces are here; the topic and year ticked. */
const WORD = "immigration";
const TOPIC = "Consumer Protection";
const YEAR = "2015";
/** Typed cold after the filters, key by key: two words, then a phrase (docs/archive.md's views). */
const WORDS = "consumer fraud";
const PHRASE = '"attorney general"';
const WARM_ROUNDS = 2;
/** A view is settled when nothing changed, nothing was fetched and nothing was busy this long. */
const QUIET_MS = 400;

function parseArgs(argv) {
  const options = { sizes: [10000, 100000], contenders: CONTENDERS, bodyWords: 600, timeout: 180, rebuild: false, pagefindMemoryGB: 12, pageSize: 10, out: join(BENCH, "archive-results.json") };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === "--sizes") options.sizes = value().split(",").map((s) => Number(s.replace(/[_k]/g, (c) => (c === "k" ? "000" : ""))));
    else if (arg === "--contenders") options.contenders = value().split(",");
    else if (arg === "--body-words") options.bodyWords = Number(value());
    else if (arg === "--timeout") options.timeout = Number(value());
    else if (arg === "--rebuild") options.rebuild = true;
    else if (arg === "--pagefind-memory-gb") options.pagefindMemoryGB = Number(value());
    else if (arg === "--out") options.out = resolve(value());
    else if (arg === "--help" || arg === "-h") {
      console.log("node bench/archive.mjs [--sizes 10000,100000] [--contenders archive,feed,pagefind] [--body-words 600] [--timeout SECONDS] [--rebuild] [--pagefind-memory-gb 12] [--out FILE]");
      process.exit(0);
    } else throw new Error(`unknown option ${arg} (try --help)`);
  }
  if (options.sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error("--sizes: positive integers, comma-separated");
  if (!Number.isInteger(options.bodyWords) || options.bodyWords < 1) throw new Error("--body-words: a positive integer");
  if (options.contenders.some((c) => !CONTENDERS.includes(c))) throw new Error(`--contenders: ${CONTENDERS.join(", ")}`);
  return options;
}

// ---------------------------------------------------------------------------------------------
// Builds, timed with /usr/bin/time -v (wall time and the peak resident memory)

/** Runs a command under /usr/bin/time -v; its wall seconds and peak memory, or the failure. */
function timed(command, args, { cwd = ROOT, memoryGB = null } = {}) {
  const shell = memoryGB ? ["bash", "-c", `ulimit -v ${Math.round(memoryGB * 1024 * 1024)}; exec "$0" "$@"`, command, ...args] : [command, ...args];
  const run = spawnSync("/usr/bin/time", ["-v", ...shell], { cwd, encoding: "utf8", maxBuffer: 64 << 20 });
  const err = run.stderr || "";
  const wall = err.match(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/);
  const rss = err.match(/Maximum resident set size \(kbytes\): (\d+)/);
  return {
    ok: run.status === 0,
    seconds: wall ? Number(wall[1] || 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : null,
    peakBytes: rss ? Number(rss[1]) * 1024 : null,
    output: (run.stdout + err).split("\n").filter((l) => l && !/^\s+(?:[A-Z][a-z]|Exit status|Command being)/.test(l)).slice(-6).join("\n"),
  };
}

/** The feed of `size` releases and the names built from it (bodies of ~600 words, or --body-words). */
const feedOf = (size, options) => feedPath(size, options.bodyWords);
const builtName = (kind, size, options) => feedOf(size, options).split("/").pop().replace(/^feed/, kind).replace(/\.json$/, "");

const stale = async (file, ...sources) => {
  const made = await stat(file).catch(() => null);
  if (!made) return true;
  for (const s of sources) if ((await stat(s).catch(() => null))?.mtimeMs > made.mtimeMs) return true;
  return false;
};

/** bench/out/archive-<N>/ from the feed, with the build's figures (kept beside it). */
async function ensureArchive(size, options) {
  const dir = join(OUT, builtName("archive", size, options));
  const figures = `${dir}.build.json`;
  if (!existsSync(CLI)) return { skipped: `${relative(ROOT, CLI)} is missing (make cli)` };
  if (!options.rebuild && !(await stale(figures, feedOf(size, options), CLI))) return JSON.parse(await readFile(figures, "utf8"));
  log(`building the archive of ${size.toLocaleString("en-US")} releases…`);
  await rm(dir, { recursive: true, force: true });
  const run = timed(CLI, ["archive", feedOf(size, options), "--out", dir, "--include-future"]);
  const build = { ok: run.ok, seconds: run.seconds, peakBytes: run.peakBytes, output: run.output };
  if (!run.ok) return { ...build, skipped: `release-embed archive failed: ${run.output}` };
  await writeFile(figures, JSON.stringify(build, null, 1) + "\n");
  return build;
}

/** bench/out/pagefind-<N>/bundle/: the releases as pages, then Pagefind's index of them. */
async function ensurePagefind(size, options) {
  const dir = join(OUT, builtName("pagefind", size, options));
  const figures = `${dir}.build.json`;
  if (!existsSync(PAGEFIND)) return { skipped: "the pagefind package is not installed (npm ci)" };
  if (!options.rebuild && !(await stale(figures, feedOf(size, options), PAGEFIND))) {
    const build = JSON.parse(await readFile(figures, "utf8"));
    return build.ok ? build : { ...build, skipped: `pagefind failed (within ${build.memoryLimitGB} GB): ${build.output.split("\n")[0]}; --rebuild to try again` };
  }
  log(`writing ${size.toLocaleString("en-US")} release pages for Pagefind…`);
  const t = Date.now();
  await writeSite(feedOf(size, options), join(dir, "site"));
  const pagesSeconds = (Date.now() - t) / 1000;
  log(`indexing them with Pagefind (at most ${options.pagefindMemoryGB} GB)…`);
  await rm(join(dir, "bundle"), { recursive: true, force: true });
  const run = timed(PAGEFIND, ["--site", "site", "--output-path", "bundle", "--quiet"], { cwd: dir, memoryGB: options.pagefindMemoryGB });
  // The pages are only Pagefind's input: the bundle is what the browser reads.
  await rm(join(dir, "site"), { recursive: true, force: true });
  const build = { ok: run.ok, seconds: run.seconds, peakBytes: run.peakBytes, pagesSeconds, memoryLimitGB: options.pagefindMemoryGB, output: run.output };
  await writeFile(figures, JSON.stringify(build, null, 1) + "\n");
  return run.ok ? build : { ...build, skipped: `pagefind failed (within ${options.pagefindMemoryGB} GB): ${run.output.split("\n")[0]}` };
}

// ---------------------------------------------------------------------------------------------
// In the page: when a view has settled

/**
 * Injected after probe.js. window.__settle.arm() → promise of { ms, domMs, changed, timedOut }:
 * from the next keydown or pointerdown (captured on window; both are composed, so they come out of
 * the shadow root) to the paint after the last change in the results (domMs: to the observer's
 * record of that change, the results in the DOM), once the view has settled: no
 * DOM change in the results, no fetch() under way and no aria-busy on the widget's element or the
 * Pagefind page's section for QUIET ms. Without any change: the paint after the event.
 */
const SETTLE = `(() => {
  const QUIET = ${QUIET_MS};
  let inflight = 0;
  let lastFetch = 0;
  const original = window.fetch;
  window.fetch = function (...args) {
    inflight++;
    const done = () => { inflight--; lastFetch = performance.now(); };
    const p = original.apply(this, args);
    // Until the headers: reading a clone of the body would double the cost of a large feed.
    p.then(done, done);
    return p;
  };
  // The archive part's worker: when each list view was asked of it and when its answer came.
  const asks = [];
  const answers = new Map();
  if (window.Worker) {
    const W = window.Worker;
    window.Worker = class extends W {
      constructor(...args) {
        super(...args);
        // Added before the client sets onmessage, so it runs first.
        this.addEventListener("message", ({ data }) => data && data.id != null && answers.set(data.id, performance.now()));
      }
      postMessage(message, ...rest) {
        if (message && message.op === "list") asks.push([performance.now(), message.id]);
        return super.postMessage(message, ...rest);
      }
    };
  }
  const paint = () => new Promise((done) => requestAnimationFrame(() => {
    const c = new MessageChannel();
    c.port1.onmessage = () => done(performance.now());
    c.port2.postMessage(0);
  }));
  window.__settle = {
    inflight: () => inflight,
    arm(limitMs) {
      const host = document.querySelector("release-embed") || document.getElementById("releases");
      const root = host.shadowRoot || host;
      return new Promise((resolve) => {
        let t0 = null, last = 0, changes = 0, painted = null, firstPaint = null, finished = false;
        const observer = new MutationObserver(() => {
          if (t0 === null) return;
          changes++;
          last = performance.now();
          painted = paint();
        });
        observer.observe(root, { childList: true, subtree: true, attributes: true, characterData: true });
        const finish = async (timedOut) => {
          if (finished) return;
          finished = true;
          observer.disconnect();
          const end = changes ? await painted : await firstPaint;
          // The last list asked of the worker since the event, and its answer: the hops of the time.
          const asked = asks.filter(([at]) => at >= t0);
          const [askedAt, id] = asked[asked.length - 1] ?? [];
          const answeredAt = answers.get(id);
          const hops = askedAt != null && answeredAt != null && changes
            ? { asked: askedAt - t0, worker: answeredAt - askedAt, drawn: last - answeredAt, lists: asked.length }
            : null;
          resolve({ ms: end - t0, domMs: changes ? last - t0 : null, hops, changed: changes > 0, changes, timedOut });
        };
        const check = () => {
          if (finished) return;
          const now = performance.now();
          if (now - t0 > limitMs) return finish(true);
          const busy = inflight > 0 || host.hasAttribute("aria-busy");
          if (busy || now - Math.max(last, lastFetch, t0) < QUIET) return setTimeout(check, 25);
          finish(false);
        };
        const start = () => {
          if (t0 !== null) return;
          t0 = performance.now();
          firstPaint = paint();
          window.removeEventListener("keydown", start, true);
          window.removeEventListener("pointerdown", start, true);
          setTimeout(check, 25);
        };
        window.addEventListener("keydown", start, true);
        window.addEventListener("pointerdown", start, true);
      });
    },
  };
})();`;

// ---------------------------------------------------------------------------------------------
// One contender at one size

/** Code is the widget's script and wasm, Pagefind's scripts and wasm, and the pages themselves. */
const isCode = (path) =>
  /^\/(dist|widget|pagefind|baseline)\//.test(path) || /\/pagefind[\w-]*\.(js|css)$/.test(path) || /\/wasm\.[\w-]+\.pagefind$/.test(path);

function pageUrl(base, contender, size, options) {
  const page = `&page=${options.pageSize}`;
  if (contender === "archive") return `${base}/widget/?feed=${encodeURIComponent(`/feeds/${builtName("archive", size, options)}/archive.json`)}${page}`;
  if (contender === "feed") return `${base}/widget/?feed=${encodeURIComponent(`/feeds/${builtName("feed", size, options)}.json`)}${page}&max-bytes=${MAX_BYTES}`;
  return `${base}/pagefind/?bundle=${encodeURIComponent(`/feeds/${builtName("pagefind", size, options)}/bundle/`)}${page}`;
}

async function measure(env, contender, size, options) {
  const limit = options.timeout * 1000;
  const r = { contender, size, phases: {}, console: [] };
  const context = await env.browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  let phase = "load";
  const responses = [];
  page.on("response", (response) => responses.push({ phase, response }));
  page.on("console", (m) => ["error", "warning"].includes(m.type()) && r.console.length < 20 && r.console.push(`${m.type()}: ${m.text().slice(0, 300)}`));
  page.on("pageerror", (e) => r.console.length < 20 && r.console.push(`pageerror: ${String(e.message).slice(0, 300)}`));
  let crashed;
  const crash = new Promise((_, fail) => (crashed = fail));
  crash.catch(() => {});
  page.on("crash", () => crashed(new Error("the page crashed (renderer gone, probably out of memory)")));
  const guard = (promise, ms, what) => within(Promise.race([promise, crash]), ms, what);
  await page.addInitScript({ content: PROBE });
  await page.addInitScript({ content: SETTLE });
  const widget = contender !== "pagefind";
  const box = page.locator(widget ? "release-embed input.re-search" : "#releases input.search").first();
  /** One user action, timed to its settled view. */
  const act = async (name, action) => {
    phase = name;
    await guard(page.evaluate((l) => void (window.__act = window.__settle.arm(l)), limit), limit, `arming ${name}`);
    await guard(action(), limit, name);
    const sample = await guard(page.evaluate(() => window.__act), limit + 5000, name);
    if (sample.timedOut) throw new Timeout(`${name}: not settled within ${options.timeout} s`);
    return sample;
  };
  try {
    await guard(page.goto(pageUrl(env.url, contender, size, options), { waitUntil: "commit", timeout: 0 }), limit, "navigation");
    const load = await guard(page.evaluate(() => window.__bench.load), limit, "the first list");
    if (load.what === "error") {
      if (contender === "archive") throw Object.assign(new Error(`widget cannot read archives in this build (it shows: ${load.message})`), { skip: true });
      throw new Error(`the page shows an error: ${load.message}`);
    }
    r.firstListMs = load.painted;
    const ready = await guard(page.evaluate(() => window.__bench.ready), limit, "search ready");
    r.readyMs = ready.painted;
    phase = "idle";
    await sleep(1000);
    r.loadLongestTaskMs = await page.evaluate((until) => Math.max(0, ...window.__bench.longtasks.filter(([s]) => s <= until).map(([, d]) => d)), r.readyMs + 1000);

    // The first search, cold: the word typed key by key, each key timed to its settled view.
    await box.focus();
    const cold = [];
    for (const key of WORD) cold.push(await act("search", () => page.keyboard.press(key)));
    r.coldKeys = cold;
    // The same word again, twice: its pieces are here now.
    const warm = [];
    for (let round = 0; round < WARM_ROUNDS; round++) {
      await act("clear", () => page.keyboard.press("Control+A"));
      await act("clear", () => page.keyboard.press("Backspace"));
      for (const key of WORD) warm.push(await act("keys", () => page.keyboard.press(key)));
    }
    r.warmKeys = warm;
    await act("clear", () => page.keyboard.press("Control+A"));
    await act("clear", () => page.keyboard.press("Backspace"));
    // Facets with no search: a topic ticked (and unticked), then a year.
    const tick = (facet, value) => page.locator(widget ? `release-embed input[name=${facet === "topic" ? "tag" : facet}][value="${value}"]` : `#facets input[name=${facet}][value="${value}"]`).first();
    r.topic = await act("topic", () => tick("topic", TOPIC).click());
    await act("untick", () => tick("topic", TOPIC).click());
    r.year = await act("year", () => tick("year", YEAR).click());
    await act("untick", () => tick("year", YEAR).click());

    // Two words, then a quoted phrase, typed key by key into the empty box: cold (their pieces
    // have not been read; the words tables' roots and pages fetched ahead may have been).
    const typed = async (name, text) => {
      await box.focus();
      const keys = [];
      for (const key of text) keys.push(await act(name, () => page.keyboard.press(key)));
      await act("clear", () => page.keyboard.press("Control+A"));
      await act("clear", () => page.keyboard.press("Backspace"));
      return keys;
    };
    r.wordsKeys = await typed("words", WORDS);
    r.phraseKeys = await typed("phrase", PHRASE);

    // Memory and long tasks, over the whole visit.
    const cdp = await context.newCDPSession(page);
    await guard(cdp.send("HeapProfiler.collectGarbage"), 60000, "garbage collection");
    await cdp.send("Performance.enable");
    const { metrics } = await cdp.send("Performance.getMetrics");
    r.jsHeapBytes = metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? null;
    const inPage = await page.evaluate(() => ({ wasm: window.__bench.wasmBytes(), longtasks: window.__bench.longtasks }));
    r.wasmBytes = inPage.wasm;
    r.longestTaskMs = Math.max(0, ...inPage.longtasks.map(([, d]) => d));
    // After loading: the searches and filters (the archive's work, in its worker on this build).
    r.interactLongestTaskMs = Math.max(0, ...inPage.longtasks.filter(([s]) => s > r.readyMs + 1000).map(([, d]) => d));
    r.longtaskList = inPage.longtasks;
    r.longTasks = inPage.longtasks.length;
    const renderer = await rendererMemory(env).catch(() => null);
    r.rendererBytes = renderer?.rssAnonBytes ?? null;
    r.rendererPeakBytes = renderer?.peakBytes ?? null;
  } catch (error) {
    const message = String(error?.message || error).split("\n")[0];
    r.error = { kind: error.skip ? "skipped" : error instanceof Timeout ? "timeout" : /crash|closed/i.test(message) ? "crashed" : "error", reason: message };
  }
  // Bytes per phase, as if served gzip -9; "data" leaves out the code (scripts, wasm, pages).
  for (const { phase: p, response } of responses) {
    const path = new URL(response.url()).pathname;
    const file = resolveFile(path);
    const gz = file && response.status() === 200 ? await gzipSizeOfFile(file) : (await response.body().catch(() => Buffer.alloc(0))).length;
    const entry = (r.phases[p] ??= { dataGzip: 0, codeGzip: 0, requests: 0 });
    entry.requests++;
    entry[isCode(path) ? "codeGzip" : "dataGzip"] += gz;
  }
  await within(context.close(), 30000, "closing the context").catch(() => {});
  return r;
}

/** The file a served path comes from (the mounts of run.mjs), or null. */
function resolveFile(pathname) {
  const prefix = Object.keys(MOUNTS).sort((a, b) => b.length - a.length).find((p) => pathname.startsWith(p));
  if (!prefix) return null;
  const file = join(ROOT, MOUNTS[prefix], decodeURIComponent(pathname.slice(prefix.length)), pathname.endsWith("/") ? "index.html" : "");
  return statSync(file, { throwIfNoEntry: false })?.isFile() ? file : null;
}

// ---------------------------------------------------------------------------------------------
// The table

const MB = 1024 * 1024;
/** Keystrokes that changed the results: keydown to the observer's record of the last change. */
const domTimes = (keys) => keys.filter((k) => k.domMs != null).map((k) => k.domMs);
const hop = (keys, name) => {
  const times = (keys ?? []).filter((k) => k.hops).map((k) => k.hops[name]);
  return times.length ? median(times) : null;
};
const slowest = (keys) => keys && Math.max(...keys.map((s) => s.ms));
const kB = (phases = {}, ...names) => names.reduce((sum, n) => sum + (phases[n]?.dataGzip ?? 0), 0) / 1000;
/** [label, digits, pick(result, build), target at 100,000 (at most), row applies to contender] */
const ROWS = [
  ["data before the first list, beyond the code (kB gzip)", 1, (r) => kB(r.phases, "load"), 60],
  ["first list painted (ms after navigation start)", 0, (r) => r.firstListMs, null],
  ["search ready (ms)", 0, (r) => r.readyMs, null],
  ["fetched ahead when idle after the first list: data (kB gzip)", 1, (r) => kB(r.phases, "idle"), null],
  [`first search, cold ("${WORD}" typed): data (kB gzip)`, 1, (r) => kB(r.phases, "search"), 300],
  ["  requests", 0, (r) => r.phases?.search?.requests ?? 0, null],
  ["first search, cold: slowest keystroke → results painted (ms)", 0, (r) => slowest(r.coldKeys), 300],
  ["later keystrokes (pieces here) → results in the DOM, median (ms)", 1, (r) => r.warmKeys && median(domTimes(r.warmKeys)), null],
  ["later keystrokes (pieces here) → results in the DOM, p95 (ms)", 1, (r) => r.warmKeys && percentile(domTimes(r.warmKeys), 95), 16],
  ["  of which: keydown → list asked of the worker, median (ms)", 1, (r) => hop(r.warmKeys, "asked"), null],
  ["  the worker's answer (messages, evaluation), median (ms)", 1, (r) => hop(r.warmKeys, "worker"), null],
  ["  answer → results in the DOM, median (ms)", 1, (r) => hop(r.warmKeys, "drawn"), null],
  ["later keystrokes (pieces here) → results painted, median (ms)", 1, (r) => r.warmKeys && median(r.warmKeys.map((s) => s.ms)), null],
  ["later keystrokes (pieces here) → results painted, p95 (ms)", 1, (r) => r.warmKeys && percentile(r.warmKeys.map((s) => s.ms), 95), null],
  ["later keystrokes: data (kB gzip)", 1, (r) => kB(r.phases, "keys"), null],
  [`topic "${TOPIC}" ticked, no search → results + counts painted (ms)`, 0, (r) => r.topic?.ms, 100],
  ["  data (kB gzip)", 1, (r) => kB(r.phases, "topic"), null],
  ["  requests", 0, (r) => r.phases?.topic?.requests ?? 0, null],
  [`year ${YEAR} ticked, no search → results + counts painted (ms)`, 0, (r) => r.year?.ms, 100],
  ["  data (kB gzip)", 1, (r) => kB(r.phases, "year"), null],
  ["  requests", 0, (r) => r.phases?.year?.requests ?? 0, null],
  [`two words, cold ("${WORDS}" typed): data (kB gzip)`, 1, (r) => kB(r.phases, "words"), 300],
  ["  requests", 0, (r) => r.phases?.words?.requests ?? 0, null],
  ["  slowest keystroke → results painted (ms)", 0, (r) => slowest(r.wordsKeys), 300],
  [`a phrase, cold (${PHRASE} typed): data (kB gzip)`, 1, (r) => kB(r.phases, "phrase"), 300],
  ["  requests", 0, (r) => r.phases?.phrase?.requests ?? 0, null],
  ["  slowest keystroke → results painted (ms)", 0, (r) => slowest(r.phraseKeys), 300],
  ["JS heap (after GC) + wasm memory, end of visit (MB)", 1, (r) => r.jsHeapBytes != null && (r.jsHeapBytes + r.wasmBytes) / MB, null],
  ["renderer process private memory, end of visit (MB)", 0, (r) => r.rendererBytes && r.rendererBytes / MB, 100],
  ["renderer process peak resident memory, VmHWM (MB)", 0, (r) => r.rendererPeakBytes && r.rendererPeakBytes / MB, null],
  ["longest main-thread task while loading (ms)", 0, (r) => r.loadLongestTaskMs, null],
  ["longest main-thread task after loading: searches, filters (ms)", 0, (r) => r.interactLongestTaskMs, null],
  ["longest main-thread task, whole visit (ms)", 0, (r) => r.longestTaskMs, 50],
  ["build: wall time (s)", 1, (r, b) => b?.seconds, 60],
  ["build: peak memory (MB)", 0, (r, b) => b?.peakBytes && b.peakBytes / MB, 2048],
];

function table(size, entry, contenders) {
  const withTargets = size >= 100000;
  const head = ["figure", ...contenders.map((c) => NAMES[c]), ...(withTargets ? ["target (100k)", "archive"] : [])];
  const fmt = (v, digits) => (v == null || v === false || Number.isNaN(v) ? "—" : v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }));
  const rows = ROWS.map(([label, digits, pick, target]) => {
    const values = contenders.map((c) => {
      const r = entry[c];
      // A contender the browser could not measure may still have been built.
      if (!r || r.error?.kind === "skipped") return label.startsWith("build") ? pick({}, entry.builds[c]) ?? null : null;
      return pick(r, entry.builds[c]) ?? null;
    });
    const cells = values.map((v, i) => {
      const r = entry[contenders[i]];
      if (v == null && r?.error) return r.error.kind;
      if (label.includes("longest") && v === 0) return "< 50";
      return fmt(v, digits);
    });
    if (withTargets) {
      const a = values[contenders.indexOf("archive")];
      cells.push(target == null ? "" : `≤ ${target.toLocaleString("en-US")}`);
      cells.push(target == null || a == null ? "" : a <= target ? "met" : `gap ${fmt(a - target, digits)}`);
    }
    return [label, ...cells];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join("  ");
  const out = [`\n${size.toLocaleString("en-US")} releases (feed ${(entry.feedBytes / 1e6).toFixed(0)} MB)`, line(head), widths.map((n) => "-".repeat(n)).join("  "), ...rows.map(line)];
  for (const c of contenders) {
    const r = entry[c];
    if (r?.error) out.push(`  ${NAMES[c]}: ${r.error.kind}: ${r.error.reason}`);
  }
  return out.join("\n");
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const begun = Date.now();
  const busyBefore = await cpuBusy();
  await prepare({ sizes: [] });
  const server = await startServer({ mounts: MOUNTS, port: 0 });
  const env = { url: server.url, browser: await chromium.launch({ executablePath: CHROMIUM, args: launchArgs() }) };
  const results = {
    date: new Date().toISOString(),
    command: `node bench/archive.mjs ${process.argv.slice(2).join(" ")}`.trim(),
    chromium: env.browser.version(),
    pagefind: JSON.parse(await readFile(join(ROOT, "node_modules/pagefind/package.json"), "utf8")).version,
    machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? null, memoryGB: +(os.totalmem() / 1024 ** 3).toFixed(1), cpuBusyBefore: busyBefore },
    config: { word: WORD, words: WORDS, phrase: PHRASE, topic: TOPIC, year: YEAR, warmRounds: WARM_ROUNDS, quietMs: QUIET_MS, pageSize: options.pageSize },
    // Sizes measured by an earlier run are kept (each with its date), so 10,000 and 100,000 can
    // be run separately into one file.
    sizes: (await readFile(options.out, "utf8").then(JSON.parse, () => null))?.sizes ?? {},
  };
  const tables = [];
  try {
    for (const size of options.sizes) {
      await ensureFeed(size, { log, bodyWords: options.bodyWords });
      const entry = (results.sizes[size] = { date: results.date, bodyWords: options.bodyWords, feedBytes: (await stat(feedOf(size, options))).size, builds: {} });
      if (options.contenders.includes("archive")) entry.builds.archive = await ensureArchive(size, options);
      if (options.contenders.includes("pagefind")) entry.builds.pagefind = await ensurePagefind(size, options);
      for (const contender of options.contenders) {
        const build = entry.builds[contender];
        if (build?.skipped) {
          entry[contender] = { error: { kind: "skipped", reason: build.skipped } };
          continue;
        }
        log(`${size.toLocaleString("en-US")} releases, ${NAMES[contender]}…`);
        const t = Date.now();
        try {
          entry[contender] = await measure(env, contender, size, options);
        } catch (error) {
          entry[contender] = { error: { kind: "crashed", reason: `the browser failed: ${String(error?.message || error).split("\n")[0]}` } };
          await env.browser.close().catch(() => {});
          env.browser = await chromium.launch({ executablePath: CHROMIUM, args: launchArgs() });
          env.browserCdp = null;
        }
        const r = entry[contender];
        log(`  ${r.error ? `${r.error.kind}: ${r.error.reason}` : `list painted at ${r.firstListMs.toFixed(0)} ms`} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
      }
      tables.push(table(size, entry, options.contenders));
      await mkdir(BENCH, { recursive: true });
      await writeFile(options.out, JSON.stringify(results, null, 1) + "\n");
    }
  } finally {
    await within(env.browser.close(), 15000, "closing the browser").catch(() => {});
    server.server.closeAllConnections?.();
    await server.close();
  }
  results.elapsedSeconds = Math.round((Date.now() - begun) / 1000);
  results.machine.cpuBusyAfter = await cpuBusy();
  await writeFile(options.out, JSON.stringify(results, null, 1) + "\n");
  console.log(`release-embed archive section, ${results.date}: Chromium ${results.chromium} (headless, vsync off), Pagefind ${results.pagefind}, loopback`);
  console.log(tables.join("\n"));
  const busy = Math.max(busyBefore ?? 0, results.machine.cpuBusyAfter ?? 0);
  if (busy > 0.2) console.log(`\nwarning: other work was using the CPU (${Math.round(busy * 100)} % busy); the timings are noisy`);
  console.log(`\nraw results: ${relative(process.cwd(), options.out) || options.out}  (${results.elapsedSeconds} s)`);
}

main().catch((error) => {
  console.error(`bench: ${error.stack || error}`);
  process.exit(1);
});
