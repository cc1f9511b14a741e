// The release-embed benchmark: the widget against the page a web developer would write instead
// (List.js + marked + DOMPurify, bench/baseline/), in headless Chromium, at several feed sizes.
//   node bench/run.mjs [--sizes 1000,10000,100000] [--runs 3] [--timeout 120] [--budget 20]
//                      [--page-size 10] [--contenders widget,baseline] [--skip-keys]
//                      [--out bench/results.json]
//   node bench/run.mjs --first-load [--runs 5] [--out bench/first-load.json]
//   node bench/run.mjs --vsync ...   the same with frames on the 60 Hz clock, as a screen runs
//   (the archive section, widget on an archive / on the feed / Pagefind, is bench/archive.mjs)
// Prints one table per feed size and writes the raw numbers to bench/results.json; with
// --first-load, the first visit on a throttled phone instead (bench/README.md, "First load").
// See bench/README.md for what each figure means and how it is measured.
import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, readdirSync } from "node:fs";
import { copyFile, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import { join, normalize, relative, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { Writable } from "node:stream";
import { createGzip, gzip as gzipCb, constants as zlibConstants } from "node:zlib";
import { promisify } from "node:util";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { startServer, ROOT } from "../tools/serve.mjs";
import { BENCH, OUT, ensureFeed } from "./generate.mjs";
import { writeXmlFeeds } from "./xml-feeds.mjs";

const gzip = promisify(gzipCb);
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const CONTENDERS = ["widget", "baseline"];

/**
 * The keystroke script, the same for both contenders: exactly 50 key presses. Words are typed
 * a character at a time; "clear" is Control+A then Backspace (two presses).
 */
const chars = (s) => [...s];
const backspaces = (n) => Array(n).fill("Backspace");
export const KEYSTROKES = [
  ...chars("immigration"), //              11  "immigration"
  "Control+A", "Backspace", //             13  ""
  ...chars("consumer fraud"), //           27  "consumer fraud"
  ...backspaces(6), //                     33  "consumer"
  "Control+A", "Backspace", //             35  ""
  ...chars("settlement"), //               45  "settlement"
  ...backspaces(5), //                     50  "settl"
];
if (KEYSTROKES.length !== 50) throw new Error(`the keystroke script has ${KEYSTROKES.length} presses, not 50`);
/** Pause after each keystroke's measurement, and longer before a new word (after a clear or a space). */
const PAUSE_KEY_MS = 100;
const PAUSE_WORD_MS = 400;

export const LAUNCH_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run", "--disable-quic", "--enable-precise-memory-info",
  // Frames as soon as there is something to draw, not on a 60 Hz clock: otherwise every
  // keystroke waits a random 0-17 ms for the next vsync, which would swamp what is measured.
  "--disable-gpu-vsync", "--disable-frame-rate-limit",
  // Only 127.0.0.1: every other host name fails to resolve.
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
];
/** The two flags that take frames off the 60 Hz clock; `--vsync` leaves them out. */
const VSYNC_OFF = ["--disable-gpu-vsync", "--disable-frame-rate-limit"];
export const launchArgs = ({ vsync = false } = {}) => (vsync ? LAUNCH_ARGS.filter((a) => !VSYNC_OFF.includes(a)) : LAUNCH_ARGS);

// ---------------------------------------------------------------------------------------------
// Command line

function parseArgs(argv) {
  const options = {
    sizes: [1000, 10000, 100000],
    runs: 3,
    timeout: 120, // seconds, per measurement (loading; the keystroke script)
    budget: 20, // minutes for the whole run; measurements that would start later are skipped
    pageSize: 10,
    contenders: CONTENDERS,
    keys: true,
    out: join(BENCH, "results.json"),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === "--sizes") options.sizes = value().split(",").map((s) => Number(s.replace(/[_k]/g, (c) => (c === "k" ? "000" : ""))));
    else if (arg === "--runs") options.runs = Number(value());
    else if (arg === "--timeout") options.timeout = Number(value());
    else if (arg === "--budget") options.budget = Number(value());
    else if (arg === "--page-size") options.pageSize = Number(value());
    else if (arg === "--contenders") options.contenders = value().split(",");
    else if (arg === "--skip-keys") options.keys = false;
    else if (arg === "--first-load") options.firstLoad = true;
    else if (arg === "--vsync") options.vsync = true;
    else if (arg === "--out") options.out = resolve(value());
    else if (arg === "--help" || arg === "-h") {
      console.log("node bench/run.mjs [--sizes 1000,10000,100000] [--runs 3] [--timeout SECONDS] [--budget MINUTES] [--page-size 10] [--contenders widget,baseline] [--skip-keys] [--vsync] [--out FILE]");
      process.exit(0);
    } else throw new Error(`unknown option ${arg} (try --help)`);
  }
  if (options.sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error("--sizes: positive integers, comma-separated");
  if (options.contenders.some((c) => !CONTENDERS.includes(c))) throw new Error(`--contenders: ${CONTENDERS.join(", ")}`);
  for (const k of ["runs", "timeout", "budget", "pageSize"]) if (!(options[k] > 0)) throw new Error(`--${k}: a positive number`);
  return options;
}

export const log = (...a) => console.error(...a);

/** Share of all CPU time that was busy during one second (Linux /proc/stat), or null. */
export async function cpuBusy() {
  const sample = async () => {
    const line = (await readFile("/proc/stat", "utf8")).split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = line[3] + (line[4] || 0); // idle + iowait
    return { idle, total: line.reduce((a, b) => a + b, 0) };
  };
  try {
    const a = await sample();
    await sleep(1000);
    const b = await sample();
    return b.total > a.total ? +(1 - (b.idle - a.idle) / (b.total - a.total)).toFixed(2) : null;
  } catch {
    return null;
  }
}
export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

export class Timeout extends Error {}
/** Rejects with a Timeout after ms, unless the promise settles first. */
export function within(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, fail) => (timer = setTimeout(() => fail(new Timeout(`${what}: no result within ${Math.round(ms / 1000)} s`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------------------------
// Preparation: dist/, vendored library builds, feeds, gzip sizes

const VENDOR = [
  ["list.js", "dist/list.min.js"],
  ["marked", "lib/marked.umd.js"],
  ["dompurify", "dist/purify.min.js"],
];

/** The widget's files in dist/: the script, the list view's wasm, the lazily loaded parts. */
const distWasm = () => (existsSync(join(ROOT, "dist")) ? readdirSync(join(ROOT, "dist")).filter((f) => f.endsWith(".wasm")) : []);

export async function prepare(options) {
  if (!existsSync(join(ROOT, "dist/release-embed.js")) || !distWasm().length) {
    log("dist/ is missing: running make dist…");
    const made = spawnSync("make", ["dist"], { cwd: ROOT, stdio: ["ignore", 2, 2] });
    if (made.status !== 0) throw new Error("make dist failed; the widget cannot be measured");
  }
  const vendorDir = join(OUT, "vendor");
  await mkdir(vendorDir, { recursive: true });
  const libraries = {};
  for (const [name, file] of VENDOR) {
    const from = join(ROOT, "node_modules", name, file);
    if (!existsSync(from)) throw new Error(`${from} is missing: run npm install (the baseline needs list.js, marked and dompurify)`);
    await copyFile(from, join(vendorDir, file.split("/").pop()));
    libraries[name] = JSON.parse(await readFile(join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
  }
  if (!options.firstLoad) for (const size of options.sizes) await ensureFeed(size, { log });
  return { libraries };
}

/** gzip -9 sizes of files, cached in bench/out/gzip-sizes.json by path, size and mtime. */
const gzipCachePath = join(OUT, "gzip-sizes.json");
let gzipCache = null;
export async function gzipSizeOfFile(file) {
  gzipCache ??= await readFile(gzipCachePath, "utf8").then(JSON.parse, () => ({}));
  const info = await stat(file);
  const key = relative(ROOT, file);
  const hit = gzipCache[key];
  if (hit && hit.size === info.size && hit.mtimeMs === info.mtimeMs) return hit.gzip;
  if (info.size > 50e6) log(`  gzip -9 of ${key} (${(info.size / 1e6).toFixed(0)} MB, once)…`);
  let gzipped = 0;
  await pipeline(
    createReadStream(file, { highWaterMark: 1 << 20 }),
    createGzip({ level: zlibConstants.Z_BEST_COMPRESSION }),
    new Writable({
      write(chunk, _encoding, done) {
        gzipped += chunk.length;
        done();
      },
    }),
  );
  gzipCache[key] = { size: info.size, mtimeMs: info.mtimeMs, gzip: gzipped };
  await writeFile(gzipCachePath, JSON.stringify(gzipCache, null, 1) + "\n");
  return gzipped;
}

// ---------------------------------------------------------------------------------------------
// Server

export const MOUNTS = {
  "/widget/": "bench/widget",
  "/baseline/": "bench/baseline",
  "/baseline/vendor/": "bench/out/vendor",
  "/dist/": "dist",
  "/feeds/": "bench/out",
  "/pagefind/": "bench/pagefind",
};

/** The file tools/serve.mjs serves for a path under MOUNTS (same rules), or null. */
function fileFor(pathname) {
  const prefix = Object.keys(MOUNTS)
    .sort((a, b) => b.length - a.length)
    .find((p) => pathname.startsWith(p));
  if (!prefix) return null;
  const folder = resolve(ROOT, MOUNTS[prefix]);
  let file = normalize(join(folder, decodeURIComponent(pathname.slice(prefix.length))));
  if (!file.startsWith(folder)) return null;
  if (pathname.endsWith("/")) file = join(file, "index.html");
  return existsSync(file) ? file : null;
}

/**
 * Private resident memory (RssAnon, Linux) of the page's renderer process: JS heap, DOM, layout,
 * wasm memory (the pages touched), allocator caches. Earlier contexts are closed by then, so the
 * renderer that has used the most CPU time is the page under test.
 */
export async function rendererMemory(env) {
  if (process.platform !== "linux") return null;
  env.browserCdp ??= await env.browser.newBrowserCDPSession();
  const { processInfo } = await env.browserCdp.send("SystemInfo.getProcessInfo");
  const busiest = processInfo.filter((p) => p.type === "renderer").sort((a, b) => b.cpuTime - a.cpuTime)[0];
  if (!busiest) return null;
  const status = await readFile(`/proc/${busiest.id}/status`, "utf8").catch(() => "");
  const kB = status.match(/^RssAnon:\s+(\d+) kB/m);
  // The peak resident size over the process's life (code and shared pages included).
  const peak = status.match(/^VmHWM:\s+(\d+) kB/m);
  return kB ? { pid: busiest.id, cpuSeconds: busiest.cpuTime, rssAnonBytes: Number(kB[1]) * 1024, peakBytes: peak ? Number(peak[1]) * 1024 : null } : null;
}

// ---------------------------------------------------------------------------------------------
// One measurement: a fresh browser context, one page load, optionally the keystroke script

export const PROBE = await readFile(join(BENCH, "probe.js"), "utf8");

/** The widget reads up to `max-bytes` (100 MB by default): the 425 MB feed needs more. */
export const MAX_BYTES = 1_000_000_000;

function pageUrl(base, contender, size, options) {
  const feed = `/feeds/feed-${size}.json`;
  return `${base}/${contender}/?feed=${encodeURIComponent(feed)}&page=${options.pageSize}&max-bytes=${MAX_BYTES}`;
}

/** Classifies a failure for the table: "timeout", "crashed" or "error". */
function failure(error, page) {
  if (error instanceof Timeout) return { kind: "timeout", reason: error.message };
  const message = String(error?.message || error).split("\n")[0];
  if (page?.__crashed || /crash|Target closed|has been closed/i.test(message)) {
    return { kind: "crashed", reason: message.startsWith("the page crashed") ? message : `the page crashed (${message})` };
  }
  return { kind: "error", reason: message };
}

async function measure(env, contender, size, options, { keys }) {
  const budget = options.timeout * 1000;
  const result = { contender, size, load: null, keys: null, error: null, keysError: null, console: [], offsite: [] };
  const context = await env.browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  const responses = [];
  let crashedReject;
  const crashed = new Promise((_, fail) => (crashedReject = fail));
  crashed.catch(() => {});
  page.on("crash", () => {
    page.__crashed = true;
    crashedReject(new Error("the page crashed (renderer gone, probably out of memory)"));
  });
  page.on("response", (response) => responses.push(response));
  page.on("request", (request) => {
    const { hostname, protocol } = new URL(request.url());
    if (hostname !== "127.0.0.1" && !["data:", "blob:"].includes(protocol)) result.offsite.push(request.url());
  });
  page.on("console", (message) => {
    if (["error", "warning"].includes(message.type()) && result.console.length < 20) result.console.push(`${message.type()}: ${message.text().slice(0, 300)}`);
  });
  page.on("pageerror", (error) => result.console.length < 20 && result.console.push(`pageerror: ${String(error.message).slice(0, 300)}`));
  await page.addInitScript({ content: PROBE });
  const guard = (promise, ms, what) => within(Promise.race([promise, crashed]), ms, what);

  try {
    // 1. Navigation start → first list item painted (and the feed or the error, whichever first).
    const started = Date.now();
    await guard(page.goto(pageUrl(env.url, contender, size, options), { waitUntil: "commit", timeout: 0 }), budget, "navigation");
    const load = await guard(page.evaluate(() => window.__bench.load), budget - (Date.now() - started), "loading the feed to a painted list");
    if (load.what === "error") throw new Error(`the page shows an error: ${load.message}`);
    // 2. Loading done: the widget's search box enabled / the baseline's List.js ready.
    let ready = await guard(page.evaluate(() => window.__bench.ready.then((r) => r)), 5000, "ready").catch((e) => {
      if (e instanceof Timeout) return null;
      throw e;
    });
    let readyNote = null;
    if (!ready) {
      // (An evaluate waits for the page's current task: with the remaining budget, not less.)
      const hasSearch = await guard(page.evaluate(() => window.__bench.hasSearch()), budget - (Date.now() - started), "looking for the search box");
      if (hasSearch) {
        ready = await guard(page.evaluate(() => window.__bench.ready), budget - (Date.now() - started), "search box enabled");
      } else {
        readyNote = contender === "widget"
          ? "no input.re-search in the widget (this build has no search box yet)"
          : "no input.search on the page";
      }
    }
    if (ready?.what === "error") throw new Error(`the page shows an error: ${ready.message}`);
    const loadDone = ready ? Math.max(ready.painted, load.painted) : load.painted;
    await sleep(1000);
    // 3. Memory after a forced garbage collection.
    const cdp = await context.newCDPSession(page);
    await guard(cdp.send("HeapProfiler.collectGarbage"), 60000, "garbage collection");
    await cdp.send("Performance.enable");
    const { metrics } = await guard(cdp.send("Performance.getMetrics"), 30000, "Performance.getMetrics");
    const metric = (name) => metrics.find((m) => m.name === name)?.value ?? null;
    const renderer = await guard(rendererMemory(env), 30000, "renderer memory").catch(() => null);
    const inPage = await guard(
      page.evaluate((until) => ({
        longtasks: window.__bench.longtasks.filter(([start]) => start <= until),
        wasmBytes: window.__bench.wasmBytes(),
        wasmMemories: window.__bench.memories.length,
        items: window.__bench.itemCount(),
        errors: window.__bench.errors,
      }), loadDone + 1000),
      30000,
      "reading the probe",
    );
    result.load = {
      firstListPaintMs: load.painted,
      firstItemInDomMs: load.detected,
      readyMs: ready ? ready.painted : null,
      readyNote,
      longestTaskMs: inPage.longtasks.reduce((max, [, duration]) => Math.max(max, duration), 0),
      longTasks: inPage.longtasks.length,
      longTaskTotalMs: inPage.longtasks.reduce((sum, [, duration]) => sum + duration, 0),
      jsHeapUsedBytes: metric("JSHeapUsedSize"),
      jsHeapTotalBytes: metric("JSHeapTotalSize"),
      domNodes: metric("Nodes"),
      wasmMemoryBytes: inPage.wasmBytes,
      rendererPrivateBytes: renderer?.rssAnonBytes ?? null,
      rendererPeakBytes: renderer?.peakBytes ?? null,
      rendererCpuSeconds: renderer?.cpuSeconds ?? null,
      wasmMemories: inPage.wasmMemories,
      itemsInDom: inPage.items,
      probeErrors: inPage.errors,
    };
    await cdp.detach().catch(() => {});
  } catch (error) {
    result.error = failure(error, page);
  }

  // 4. The keystroke script.
  if (keys && !result.error) {
    try {
      result.keys = await typeScript(page, contender, guard, budget);
    } catch (error) {
      result.keysError = failure(error, page);
      if (error.samples) result.keysPartial = error.samples;
    }
  }

  // 5. Bytes, as if every response had been served with gzip -9.
  result.bytes = await transferred(responses).catch((error) => ({ error: String(error) }));

  await within(context.close(), 30000, "closing the context").catch(async (error) => {
    log(`  ${error.message}; restarting the browser`);
    await env.restart();
  });
  return result;
}

async function typeScript(page, contender, guard, budget) {
  const started = Date.now();
  const selector = contender === "widget" ? "release-embed input.re-search" : "input.search";
  const box = page.locator(selector).first();
  if (!(await box.count())) {
    throw new Error(contender === "widget"
      ? "no search box: the widget has no input.re-search (its filter UI is not built yet?)"
      : "no input.search on the baseline page");
  }
  await guard(box.focus({ timeout: 10000 }), 15000, "focusing the search box");
  const samples = [];
  for (const [i, key] of KEYSTROKES.entries()) {
    const left = budget - (Date.now() - started);
    try {
      await guard(page.evaluate(() => void (window.__benchKey = window.__bench.armKey())), left, "arming a keystroke");
      await guard(page.keyboard.press(key), left, `pressing ${key}`);
      const sample = await guard(page.evaluate(() => window.__benchKey), Math.max(1, budget - (Date.now() - started)), `keystroke ${i + 1} (${key})`);
      samples.push({ key, ...sample });
    } catch (error) {
      if (error instanceof Timeout) error.message = `the keystroke script did not finish within ${Math.round(budget / 1000)} s (${samples.length}/50 done)`;
      error.samples = samples;
      throw error;
    }
    // A longer pause after a space, before a clear, and after the last Backspace of a run.
    const next = KEYSTROKES[i + 1];
    const newWord = key === " " || next === "Control+A" || (key === "Backspace" && next !== "Backspace");
    await sleep(newWord ? PAUSE_WORD_MS : PAUSE_KEY_MS);
  }
  const value = await box.inputValue().catch(() => null);
  return { samples, finalValue: value };
}

export async function transferred(responses) {
  const files = [];
  let raw = 0;
  let gzipped = 0;
  for (const response of responses) {
    const url = new URL(response.url());
    if (url.protocol === "data:") continue;
    const file = url.hostname === "127.0.0.1" ? fileFor(url.pathname) : null;
    let size;
    let gz;
    if (file && response.status() === 200) {
      size = (await stat(file)).size;
      gz = await gzipSizeOfFile(file);
    } else {
      const body = await response.body().catch(() => Buffer.alloc(0));
      size = body.length;
      gz = (await gzip(body, { level: 9 })).length;
    }
    raw += size;
    gzipped += gz;
    files.push({ path: url.pathname, status: response.status(), bytes: size, gzip: gz });
  }
  return { raw, gzip: gzipped, files };
}

// ---------------------------------------------------------------------------------------------
// Statistics and the table

export const median = (xs) => {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** Nearest-rank percentile. */
export const percentile = (xs, p) => {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  return s.length ? s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)] : null;
};
const MB = 1024 * 1024;

/** The figures of one contender at one size, from its runs. */
function summarize(runs) {
  const loads = runs.filter((r) => r.load).map((r) => r.load);
  const failures = runs.filter((r) => r.error).map((r) => r.error);
  const reason = failures.length ? failures[0] : null;
  const fromLoads = (pick) => (loads.length ? median(loads.map(pick)) : null);
  const keyed = runs.filter((r) => r.keys);
  const samples = keyed.flatMap((r) => r.keys.samples);
  const keysFailure = runs.find((r) => r.keysError)?.keysError ?? (keyed.length ? null : reason);
  const bytes = runs.find((r) => r.load && r.bytes && !r.bytes.error)?.bytes;
  return {
    runs: runs.length,
    okRuns: loads.length,
    failure: loads.length ? null : reason,
    failures,
    firstListPaintMs: fromLoads((l) => l.firstListPaintMs),
    readyMs: fromLoads((l) => l.readyMs),
    readyNote: loads.find((l) => l.readyNote)?.readyNote ?? null,
    longestTaskMs: fromLoads((l) => l.longestTaskMs),
    jsHeapMB: fromLoads((l) => l.jsHeapUsedBytes / MB),
    wasmMB: fromLoads((l) => l.wasmMemoryBytes / MB),
    heapPlusWasmMB: fromLoads((l) => (l.jsHeapUsedBytes + l.wasmMemoryBytes) / MB),
    domNodes: fromLoads((l) => l.domNodes),
    rendererMB: fromLoads((l) => (l.rendererPrivateBytes == null ? null : l.rendererPrivateBytes / MB)),
    rendererPeakMB: fromLoads((l) => (l.rendererPeakBytes == null ? null : l.rendererPeakBytes / MB)),
    keyMedianMs: median(samples.map((s) => s.ms)),
    keyP95Ms: percentile(samples.map((s) => s.ms), 95),
    // To the first change in the results' DOM, over the keystrokes that changed them.
    keyDomMedianMs: median(samples.map((s) => s.domMs)),
    keyDomP95Ms: percentile(samples.map((s) => s.domMs), 95),
    keyNoChange: samples.length ? samples.filter((s) => !s.changed).length / keyed.length : null,
    keysFailure: samples.length ? null : keysFailure,
    gzipKB: bytes ? bytes.gzip / 1000 : null,
    rawKB: bytes ? bytes.raw / 1000 : null,
  };
}

const ROWS = [
  ["feed load → first list painted (ms)", "firstListPaintMs", 0],
  ["feed load → search ready (ms)", "readyMs", 0],
  ["longest main-thread task while loading (ms)", "longestTaskMs", 0],
  ["JS heap after load, after GC (MB)", "jsHeapMB", 1],
  ["wasm linear memory (MB)", "wasmMB", 1],
  ["JS heap + wasm memory (MB)", "heapPlusWasmMB", 1],
  ["renderer process private memory (MB)", "rendererMB", 0],
  ["renderer process peak resident memory (MB)", "rendererPeakMB", 0],
  ["DOM nodes after load (incl. detached)", "domNodes", 0],
  ["keystroke → results painted, median (ms)", "keyMedianMs", 1],
  ["keystroke → results painted, p95 (ms)", "keyP95Ms", 1],
  ["keystroke → results in the DOM, median (ms)", "keyDomMedianMs", 1],
  ["keystroke → results in the DOM, p95 (ms)", "keyDomP95Ms", 1],
  ["keystrokes with no DOM change (of 50)", "keyNoChange", 0],
  ["bytes transferred, gzip -9 (kB)", "gzipKB", 1],
  ["bytes transferred, uncompressed (kB)", "rawKB", 0],
];
const KEY_ROWS = new Set(["keyMedianMs", "keyP95Ms", "keyDomMedianMs", "keyDomP95Ms", "keyNoChange"]);

function cell(summary, key, digits) {
  if (!summary) return "—";
  const failed = KEY_ROWS.has(key) ? summary.keysFailure ?? summary.failure : key === "readyMs" && summary.readyNote ? { kind: "n/a" } : summary.failure;
  const value = summary[key];
  if (value == null) return failed ? failed.kind : "—";
  if (key === "longestTaskMs" && value === 0) return "< 50";
  if (key === "wasmMB" && value === 0) return "0";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
function ratio(w, b, key) {
  const x = w?.[key];
  const y = b?.[key];
  if (x == null || y == null || y === 0 || (key === "longestTaskMs" && x === 0)) return "—";
  const r = x / y;
  return `${r < 0.1 ? r.toFixed(3) : r < 10 ? r.toFixed(2) : r.toFixed(0)}×`;
}

function table(size, entry, runs) {
  const w = entry.widget?.summary;
  const b = entry.baseline?.summary;
  const head = ["figure", "widget", "baseline", "widget/baseline"];
  const rows = ROWS.map(([label, key, digits]) => [label, cell(w, key, digits), cell(b, key, digits), ratio(w, b, key)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
  const out = [
    `\n${size.toLocaleString("en-US")} releases (feed ${(entry.feed.bytes / 1e6).toFixed(1)} MB, ${(entry.feed.gzip / 1e6).toFixed(1)} MB gzip); load figures: median of ${runs} run${runs > 1 ? "s" : ""}`,
    line(head),
    widths.map((n) => "-".repeat(n)).join("  "),
    ...rows.map(line),
  ];
  for (const [name, s] of [["widget", w], ["baseline", b]]) {
    if (!s) continue;
    for (const f of new Set(s.failures.map((f) => `${f.kind}: ${f.reason}`))) out.push(`  ${name}: ${f}`);
    if (s.keysFailure && s.okRuns) out.push(`  ${name} keystrokes: ${s.keysFailure.kind}: ${s.keysFailure.reason}`);
    if (s.readyNote) out.push(`  ${name} search ready: ${s.readyNote}`);
  }
  return out.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Main

/** What was measured: each file of the widget's build, and when it was built. */
async function widgetBuild() {
  const files = ["release-embed.js", ...distWasm()];
  const sizes = {};
  for (const f of files) sizes[f] = (await stat(join(ROOT, "dist", f))).size;
  return { files: sizes, built: (await stat(join(ROOT, "dist/release-embed.js"))).mtime.toISOString() };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.firstLoad) {
    if (!process.argv.includes("--out")) options.out = join(BENCH, "first-load.json");
    return firstLoad(options);
  }
  if (options.vsync && !process.argv.includes("--out")) options.out = join(BENCH, "results-vsync.json");
  const begun = Date.now();
  // Other processes using the CPU make the timings noisy: look before and after the run.
  const busyBefore = await cpuBusy();
  if (busyBefore > 0.2) log(`note: ${Math.round(busyBefore * 100)} % of the CPU is busy with other work; the timings will be noisy`);
  const { libraries } = await prepare(options);
  const server = await startServer({ mounts: MOUNTS, port: 0 });
  const launch = () => chromium.launch({ executablePath: CHROMIUM, args: launchArgs(options) });
  const env = {
    url: server.url,
    browser: await launch(),
    async restart() {
      await within(this.browser.close(), 15000, "closing the browser").catch(() => {});
      this.browser = await launch();
      this.browserCdp = null;
    },
  };
  const chromiumVersion = env.browser.version();
  const results = {
    date: new Date().toISOString(),
    command: `node bench/run.mjs ${process.argv.slice(2).join(" ")}`.trim(),
    chromium: chromiumVersion,
    playwright: JSON.parse(await readFile(join(ROOT, "node_modules/playwright-core/package.json"), "utf8")).version,
    node: process.version,
    machine: {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? null,
      memoryGB: +(os.totalmem() / 1024 ** 3).toFixed(1),
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      cpuBusyBefore: busyBefore,
    },
    config: { sizes: options.sizes, timeoutSeconds: options.timeout, pageSize: options.pageSize, keystrokes: KEYSTROKES, vsync: !!options.vsync, launchArgs: launchArgs(options) },
    libraries,
    widget: await widgetBuild(),
    sizes: {},
  };
  const tables = [];
  /** Contender → why it is not measured at larger sizes (it timed out or crashed at a smaller one). */
  const gaveUp = {};
  const skipReason = (contender, size, earlier, begun, options) => {
    const failed = earlier.find((r) => r.error && ["timeout", "crashed", "skipped"].includes(r.error.kind));
    if (failed) return failed.error.kind === "skipped" ? failed.error.reason : `run 1 ${failed.error.kind === "timeout" ? "timed out" : "crashed"}`;
    const before = gaveUp[contender];
    if (before && size > before.size) return `it ${before.kind === "timeout" ? "timed out" : "crashed"} at ${before.size.toLocaleString("en-US")} releases`;
    if (Date.now() - begun > options.budget * 60000 - options.timeout * 1000) return `the run's ${options.budget}-minute budget is used up`;
    return null;
  };
  try {
    for (const size of options.sizes) {
      const feedFile = join(OUT, `feed-${size}.json`);
      const entry = { feed: { bytes: (await stat(feedFile)).size, gzip: await gzipSizeOfFile(feedFile) } };
      results.sizes[size] = entry;
      const runs = options.runs;
      const raw = Object.fromEntries(options.contenders.map((c) => [c, []]));
      for (let run = 0; run < runs; run++) {
        // Alternate the order between runs so neither side always goes first.
        const order = run % 2 ? [...options.contenders].reverse() : options.contenders;
        for (const contender of order) {
          const label = `${size.toLocaleString("en-US")} releases, ${contender}, run ${run + 1}/${runs}`;
          const skip = skipReason(contender, size, raw[contender], begun, options);
          if (skip) {
            if (!raw[contender].some((r) => r.skipped)) log(`${label}: skipped (${skip})`);
            raw[contender].push({ contender, size, skipped: true, error: { kind: "skipped", reason: skip } });
            continue;
          }
          const t = Date.now();
          log(`${label}…`);
          let r;
          try {
            r = await measure(env, contender, size, options, { keys: options.keys && run === 0 });
          } catch (error) {
            // The browser itself failed (not just the page): note it and start a new one.
            r = { contender, size, load: null, error: { kind: "crashed", reason: `the browser failed: ${String(error?.message || error).split("\n")[0]}` } };
            await env.restart();
          }
          raw[contender].push(r);
          if (r.error && ["timeout", "crashed"].includes(r.error.kind)) gaveUp[contender] ??= { size, kind: r.error.kind };
          const note = r.error ? `${r.error.kind}: ${r.error.reason}` : `list painted at ${r.load.firstListPaintMs.toFixed(0)} ms` + (r.keysError ? `; keystrokes ${r.keysError.kind}: ${r.keysError.reason}` : "");
          log(`  ${note} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
        }
      }
      for (const contender of options.contenders) entry[contender] = { runs: raw[contender], summary: summarize(raw[contender]) };
      tables.push(table(size, entry, runs));
      await writeFile(options.out, JSON.stringify(results, null, 1) + "\n");
    }
  } finally {
    await within(env.browser.close(), 15000, "closing the browser").catch(() => {});
    server.server.closeAllConnections?.();
    await server.close();
  }
  results.elapsedSeconds = Math.round((Date.now() - begun) / 1000);
  results.machine.cpuBusyAfter = await cpuBusy();
  const busy = Math.max(busyBefore ?? 0, results.machine.cpuBusyAfter ?? 0) > 0.2;
  await writeFile(options.out, JSON.stringify(results, null, 1) + "\n");
  console.log(`release-embed benchmark, ${results.date}`);
  console.log(`Chromium ${chromiumVersion} (headless), ${results.machine.cores} cores, ${results.machine.memoryGB} GB; ${options.vsync ? "vsync on (frames on the 60 Hz clock)" : "vsync off"}; ratio < 1: the widget is smaller/faster`);
  console.log(tables.join("\n"));
  if (busy) {
    const pct = (x) => (x == null ? "?" : `${Math.round(x * 100)} %`);
    console.log(`\nwarning: other work was using the CPU (${pct(busyBefore)} busy before the run, ${pct(results.machine.cpuBusyAfter)} after); the timings are noisy`);
  }
  console.log(`\nraw results: ${relative(process.cwd(), options.out) || options.out}  (${results.elapsedSeconds} s)`);
}

// ---------------------------------------------------------------------------------------------
// First load on a slow phone (--first-load)

/** Lighthouse's mobile profile: 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip, CPU 4× slower. */
const THROTTLE = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 };
const CPU_SLOWDOWN = 4;
const SEED = "ag-kilmartin-immigration-2018";
const FIRST_LOAD_FEEDS = [
  ["20 releases", 20],
  ["the seed release alone", "seed"],
];

/** bench/out/feed-seed.json: the real release in www/releases.json, by itself. */
async function ensureSeedFeed() {
  const sample = JSON.parse(await readFile(join(ROOT, "www/releases.json"), "utf8"));
  const seed = sample.releases.find((r) => r.id === SEED);
  await writeFile(join(OUT, "feed-seed.json"), JSON.stringify({ version: "1", agency: sample.agency, releases: [seed] }));
}

/** In the page: resolves with the time the opened release's body was painted. */
function bodyPainted(mode) {
  const shown = () => {
    if (mode === "baseline") return !!document.querySelector(".list .body");
    const root = document.querySelector("release-embed")?.shadowRoot;
    return !!(root?.querySelector(".re-body p") && !root.querySelector("[data-re-part]"));
  };
  return new Promise((done) => {
    const tick = () => {
      if (!shown()) return requestAnimationFrame(tick);
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => done(performance.now());
        channel.port2.postMessage(0);
      });
    };
    tick();
  });
}

/**
 * One visit, throttled: navigation → first list painted; then (`openAfterMs` later) a click on
 * the first release → its body painted. `release`: the widget's page opens on that release.
 */
async function visit(env, contender, feed, { openAfterMs = 0, release = null, timeout, src = null, repeat = false, open = true }) {
  const context = await env.browser.newContext({ viewport: { width: 412, height: 823 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  try {
    await page.addInitScript({ content: PROBE });
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    // A repeat visit: the same page loaded before, throttled too, with the HTTP cache (and the
    // widget's storage) as that visit left them; the second load is measured.
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: !repeat });
    await cdp.send("Network.emulateNetworkConditions", THROTTLE);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
    const extra = release ? `&release=${release}` : "";
    const address = `${env.url}/${contender}/?feed=${src ?? `/feeds/feed-${feed}.json`}&page=10${extra}`;
    if (repeat) {
      await page.goto(address, { waitUntil: "commit" });
      const load = await within(page.evaluate(() => window.__bench.load), timeout, "the first visit's list");
      if (load.what === "error") throw new Error(`the page shows an error: ${load.message}`);
      await sleep(1500); // what the first visit still fetched, or kept, is done
    }
    const finished = [];
    page.on("requestfinished", (request) => finished.push({ at: Date.now(), request }));
    await page.goto(address, { waitUntil: "commit" });
    const origin = await page.evaluate(() => performance.timeOrigin);
    const result = { origin };
    if (release) {
      result.bodyMs = await within(page.evaluate(bodyPainted, contender), timeout, "the release's body");
    } else {
      const load = await within(page.evaluate(() => window.__bench.load), timeout, "the first list");
      if (load.what === "error") throw new Error(`the page shows an error: ${load.message}`);
      result.listMs = load.painted;
      result.listAt = origin + load.painted;
      if (!open) return await bytesOf(finished, result, release);
      if (openAfterMs) await sleep(openAfterMs);
      const link = contender === "widget" ? page.locator("release-embed .re-item-title a") : page.locator(".list a.title");
      const painted = page.evaluate(bodyPainted, contender);
      const clicked = await page.evaluate(() => performance.now());
      await link.first().click({ timeout });
      result.openMs = (await within(painted, timeout, "the opened release's body")) - clicked;
    }
    return await bytesOf(finished, result, release);
  } finally {
    await context.close().catch(() => {});
  }
}

/** The bytes on the wire before the first list and in all, into `result`. */
async function bytesOf(finished, result, release) {
  await sleep(1000); // what was still on its way (a prefetch) counts in the bytes too
  const wire = async ({ request }) => {
    const sizes = await request.sizes().catch(() => null);
    return sizes ? sizes.responseBodySize + sizes.responseHeadersSize : 0;
  };
  let before = 0;
  let all = 0;
  for (const entry of finished) {
    const bytes = await wire(entry);
    all += bytes;
    if (result.listAt && entry.at <= result.listAt) before += bytes;
  }
  result.kBBeforeList = release ? null : before / 1000;
  result.kBAll = all / 1000;
  // Each file with its bytes and when it finished (ms after navigation start): where the time
  // before the first list goes.
  result.files = await Promise.all(finished.map(async (e) => [new URL(e.request.url()).pathname, await wire(e), Math.round(e.at - result.origin)]));
  delete result.origin;
  return result;
}

const FIRST_LOAD_ROWS = [
  ["first list painted (ms after navigation start)", "listMs", 0],
  ["a release opened as soon as the list shows: body painted (ms after the click)", "openAtOnceMs", 0],
  ["a release opened 5 s later: body painted (ms after the click)", "openLaterMs", 0],
  ["a page that opens on the release (`release=`): body painted (ms)", "releasePageMs", 0],
  ["bytes before the first list (kB on the wire, gzip)", "kBBeforeList", 1],
  ["bytes after opening a release (kB on the wire, gzip)", "kBAll", 1],
];

async function firstLoad(options) {
  const runs = options.runs;
  const { libraries } = await prepare(options);
  await ensureFeed(20, { log });
  await ensureSeedFeed();
  ensureArchive20();
  writeXmlFeeds(join(OUT, "feed-20.json"));
  const server = await startServer({ mounts: MOUNTS, port: 0, gzip: true, cache: siteCache });
  const env = { url: server.url, browser: await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS }) };
  const timeout = options.timeout * 1000;
  const results = {
    date: new Date().toISOString(),
    command: `node bench/run.mjs ${process.argv.slice(2).join(" ")}`.trim(),
    chromium: env.browser.version(),
    throttle: { ...THROTTLE, cpuSlowdown: CPU_SLOWDOWN },
    machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? null, cpuBusyBefore: await cpuBusy() },
    libraries,
    widget: await widgetBuild(),
    feeds: {},
    journeys: {},
  };
  const lines = [];
  try {
    for (const [label, feed] of FIRST_LOAD_FEEDS) {
      const entry = (results.feeds[label] = {});
      for (const contender of CONTENDERS) {
        const raw = [];
        for (let run = 0; run < runs; run++) {
          log(`first load, ${label}, ${contender}, run ${run + 1}/${runs}…`);
          const atOnce = await visit(env, contender, feed, { timeout });
          const later = await visit(env, contender, feed, { openAfterMs: 5000, timeout });
          const page = contender === "widget" ? await visit(env, contender, feed, { release: SEED_ID(feed), timeout }) : null;
          raw.push({ atOnce, later, page });
        }
        entry[contender] = {
          runs: raw,
          summary: {
            listMs: median(raw.map((r) => r.atOnce.listMs)),
            openAtOnceMs: median(raw.map((r) => r.atOnce.openMs)),
            openLaterMs: median(raw.map((r) => r.later.openMs)),
            releasePageMs: median(raw.map((r) => r.page?.bodyMs ?? null)),
            kBBeforeList: median(raw.map((r) => r.atOnce.kBBeforeList)),
            kBAll: median(raw.map((r) => r.atOnce.kBAll)),
          },
        };
      }
    }
    await measureJourneys(env, runs, timeout, results);
  } finally {
    await env.browser.close().catch(() => {});
    await server.close();
  }
  await writeFile(options.out, JSON.stringify(results, null, 1) + "\n");
  const labels = FIRST_LOAD_FEEDS.map(([label]) => label);
  const head = ["figure", ...labels.flatMap((l) => [`${l}: widget`, "baseline", "ratio"])];
  const rows = FIRST_LOAD_ROWS.map(([name, key, digits]) => [
    name,
    ...labels.flatMap((l) => {
      const w = results.feeds[l].widget.summary;
      const b = results.feeds[l].baseline.summary;
      const fmt = (v) => (v == null ? "—" : v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }));
      return [fmt(w[key]), fmt(b[key]), ratio(w, b, key)];
    }),
  ]);
  lines.push(`release-embed first load, ${results.date}: Chromium ${results.chromium} (headless), network 1.6 Mbit/s down, 150 ms RTT, CPU 4× slower; medians of ${runs} runs`);
  lines.push(`| ${head.join(" | ")} |`, `| --- |${" ---: |".repeat(head.length - 1)}`, ...rows.map((r) => `| ${r.join(" | ")} |`));
  lines.push("", "| journey (20 releases) | first list painted: widget (ms) | baseline (ms) | ratio | kB before it: widget | baseline |", "| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const [label, entry] of Object.entries(results.journeys)) {
    const [w, b] = [entry.widget.summary, entry.baseline.summary];
    const ms = (v) => (v == null ? "—" : Math.round(v).toLocaleString("en-US"));
    const kB = (v) => (v == null ? "—" : v.toFixed(1));
    lines.push(`| ${label} | ${ms(w.listMs)} | ${ms(b.listMs)} | ${ratio(w, b, "listMs")} | ${kB(w.kBBeforeList)} | ${kB(b.kBBeforeList)} |`);
  }
  lines.push(`widget build: ${Object.entries(results.widget.files).map(([f, n]) => `${f} ${n} B`).join(", ")}`);
  // The first run's timeline for each feed: which file finished when, against the list painted.
  for (const label of labels) {
    for (const contender of CONTENDERS) {
      const first = results.feeds[label][contender].runs[0].atOnce;
      const files = first.files.map(([f, bytes, at]) => `${f.split("/").pop()} ${(bytes / 1000).toFixed(1)} kB @${at}`).join(", ");
      lines.push(`timeline, ${label}, ${contender} (first run; list painted @${Math.round(first.listMs)} ms): ${files}`);
    }
  }
  console.log(lines.join("\n"));
  console.log(`\nraw results: ${relative(process.cwd(), options.out) || options.out}`);
}
const SEED_ID = (feed) => (feed === "seed" ? SEED : "r000001");

/**
 * The journeys beside the first visit to a feed: the widget on the same 20 releases as RSS 2.0,
 * as Atom (bench/xml-feeds.mjs) and as an archive (`release-embed archive`), against the baseline
 * page on the native feed; and a repeat visit
 * of each page with the browser's HTTP cache warm (hashed wasm immutable, scripts cached for
 * 5 minutes, pages and feeds revalidated: see firstLoad's server). Baseline measured in the
 * same run, interleaved.
 */
const JOURNEYS = [
  ["RSS 2.0, first visit", { widget: { src: "/feeds/feed-20.rss.xml" }, baseline: {} }],
  ["Atom, first visit", { widget: { src: "/feeds/feed-20.atom.xml" }, baseline: {} }],
  ["archive, first visit", { widget: { src: "/feeds/archive-20/archive.json" }, baseline: {} }],
  ["repeat visit, native JSON", { widget: { repeat: true }, baseline: { repeat: true } }],
];

function ensureArchive20() {
  const cli = join(ROOT, "target/release/release-embed");
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run make cli (the archive journey needs it)`);
  const made = spawnSync(cli, ["archive", join(OUT, "feed-20.json"), "--out", join(OUT, "archive-20"), "--include-future"], { stdio: ["ignore", 2, 2] });
  if (made.status !== 0) throw new Error("release-embed archive failed on feed-20.json");
}

async function measureJourneys(env, runs, timeout, results) {
  for (const [label, how] of JOURNEYS) {
    const entry = (results.journeys[label] = {});
    for (const contender of CONTENDERS) entry[contender] = { runs: [] };
    for (let run = 0; run < runs; run++) {
      for (const contender of CONTENDERS) {
        log(`${label}, ${contender}, run ${run + 1}/${runs}…`);
        entry[contender].runs.push(await visit(env, contender, 20, { timeout, open: false, ...how[contender] }));
      }
    }
    for (const contender of CONTENDERS) {
      const raw = entry[contender].runs;
      entry[contender].summary = { listMs: median(raw.map((r) => r.listMs)), kBBeforeList: median(raw.map((r) => r.kBBeforeList)) };
    }
  }
}

/** Cache-Control as a site would send it (the repeat visits): see JOURNEYS. */
const siteCache = (path) =>
  /\.[0-9a-f]{12}\.wasm$/.test(path) ? "public, max-age=31536000, immutable"
    : /\.(js|css)$/.test(path) ? "public, max-age=300"
    : "no-cache";

// Run only as a command: bench/archive.mjs imports the helpers above.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error) => {
    console.error(`bench: ${error.stack || error}`);
    process.exit(1);
  });
}
