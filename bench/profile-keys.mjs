// Where a keystroke's time goes: the widget at N releases (10,000 by default), vsync on, the
// keystroke script of run.mjs typed under a Chrome trace (timeline events and V8's CPU samples),
// then the main thread's time in each keystroke (from one keydown to the next) split into:
// wasm (the search and the HTML it renders, from V8's samples), JS and DOM calls (the JS glue
// and the DOM work it does, e.g. parsing innerHTML), style, layout, paint (pre-paint, paint,
// layerize, commit), garbage collection and the rest; plus raster on the raster threads.
//   node bench/profile-keys.mjs [--size 10000] [--vsync off] [--contender widget|baseline]
// Prints the medians per keystroke and the totals; the trace goes to bench/out/keys-<N>.trace.json
// (open it in Chrome's Performance panel).
import { readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { chromium } from "playwright-core";
import { startServer } from "../tools/serve.mjs";
import { OUT, ensureFeed } from "./generate.mjs";
import { KEYSTROKES, MOUNTS, PROBE, launchArgs, log, median, percentile, prepare, sleep } from "./run.mjs";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const CATEGORIES = [
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "disabled-by-default-devtools.timeline.frame",
  "v8.execute",
  "disabled-by-default-v8.cpu_profiler",
  "blink.user_timing",
  "v8",
];

/** Timeline event name → bucket, for the main thread's self time. */
const BUCKETS = [
  [/^(UpdateLayoutTree|RecalculateStyles|ParseAuthorStyleSheet|ScheduleStyleRecalculation|InvalidateLayout)$/, "style"],
  [/^(Layout|UpdateLayout)$/, "layout"],
  [/^(PrePaint|Paint|PaintImage|Layerize|UpdateLayer|UpdateLayerTree|CompositeLayers|Commit|PaintSetup|Decode.*)$/, "paint"],
  [/GC|GarbageCollect|BlinkGC/, "gc"],
  // innerHTML's parsing is the DOM update: counted with the script that asked for it.
  [/^(FunctionCall|EventDispatch|v8\.|V8\.|TimerFire|FireAnimationFrame|RunMicrotasks|EvaluateScript|HitTest|ParseHTML)/, "script"],
];
const bucketOf = (name) => BUCKETS.find(([re]) => re.test(name))?.[1] ?? "other";

function parseArgs(argv) {
  const o = { size: 10000, vsync: true, contender: "widget", pageSize: 10 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--size") o.size = Number(argv[++i]);
    else if (a === "--vsync") o.vsync = argv[++i] !== "off";
    else if (a === "--contender") o.contender = argv[++i];
    else if (a === "--analyse") o.analyse = argv[++i];
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

/** Self time per event name on one thread, from complete (X) and begin/end (B/E) events. */
function selfTimes(events, windows) {
  // Flatten to intervals, then walk them in start order with a stack to subtract children.
  const spans = [];
  const open = [];
  for (const e of events) {
    if (e.ph === "X" && e.dur != null) spans.push({ name: e.name, ts: e.ts, end: e.ts + e.dur, args: e.args });
    else if (e.ph === "B") open.push(e);
    else if (e.ph === "E") {
      const b = open.pop();
      if (b) spans.push({ name: b.name, ts: b.ts, end: e.ts, args: b.args });
    }
  }
  spans.sort((a, b) => a.ts - b.ts || b.end - a.end);
  const stack = [];
  for (const s of spans) {
    s.self = s.end - s.ts;
    while (stack.length && stack.at(-1).end <= s.ts) stack.pop();
    const parent = stack.at(-1);
    if (parent && s.end <= parent.end) parent.self -= s.end - s.ts;
    stack.push(s);
  }
  // Per window: self time per bucket (µs → ms).
  return windows.map(([from, to]) => {
    const out = {};
    for (const s of spans) {
      if (s.ts < from || s.ts >= to || s.self <= 0) continue;
      const b = bucketOf(s.name);
      out[b] = (out[b] ?? 0) + s.self / 1000;
    }
    return out;
  });
}

/** V8's CPU samples on the main thread, per window: ms in wasm code and in JS code. */
function samplesPerWindow(events, pid, tid, windows) {
  // The Profile event names the sampled thread; its chunks come from the profiler's own thread.
  const profile = events.find((e) => e.name === "Profile" && e.pid === pid && e.tid === tid);
  if (!profile) return windows.map(() => ({ wasm: 0, js: 0 }));
  const nodes = new Map();
  const samples = [];
  let ts = profile.args.data.startTime;
  for (const e of events) {
    if (e.pid !== pid || e.name !== "ProfileChunk" || e.id !== profile.id) continue;
    const { cpuProfile = {}, timeDeltas = [] } = e.args.data;
    for (const n of cpuProfile.nodes ?? []) nodes.set(n.id, n);
    (cpuProfile.samples ?? []).forEach((id, i) => {
      ts += timeDeltas[i] ?? 0;
      samples.push([ts, id]);
    });
  }
  const kind = (id) => {
    const frame = nodes.get(id)?.callFrame ?? {};
    if (frame.codeType === "wasm" && frame.functionName !== "wasm-to-js") return "wasm";
    if (["(program)", "(idle)", "(root)"].includes(frame.functionName)) return null;
    if (frame.functionName === "(garbage collector)") return null;
    return "js";
  };
  return windows.map(([from, to]) => {
    const inWindow = samples.filter(([t]) => t >= from && t < to);
    const out = { wasm: 0, js: 0 };
    for (let i = 0; i < inWindow.length; i++) {
      const k = kind(inWindow[i][1]);
      const next = inWindow[i + 1]?.[0] ?? inWindow[i][0];
      if (k) out[k] += Math.min(next - inWindow[i][0], 2000) / 1000;
    }
    return out;
  });
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.analyse) return analyse(JSON.parse(await readFile(o.analyse, "utf8")));
  await prepare({ sizes: [o.size] });
  await ensureFeed(o.size, { log });
  const server = await startServer({ mounts: MOUNTS, port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: launchArgs({ vsync: o.vsync }) });
  try {
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript({ content: PROBE });
    await page.goto(`${server.url}/${o.contender}/?feed=/feeds/feed-${o.size}.json&page=${o.pageSize}`);
    await page.evaluate(() => window.__bench.ready);
    await sleep(1000);
    const box = page.locator(o.contender === "widget" ? "release-embed input.re-search" : "input.search").first();
    await box.focus();
    await browser.startTracing(page, { categories: CATEGORIES });
    const samples = [];
    for (const [i, key] of KEYSTROKES.entries()) {
      await page.evaluate(() => void (window.__benchKey = window.__bench.armKey()));
      await page.keyboard.press(key);
      samples.push(await page.evaluate(() => window.__benchKey));
      const next = KEYSTROKES[i + 1];
      await sleep(key === " " || next === "Control+A" || (key === "Backspace" && next !== "Backspace") ? 400 : 100);
    }
    const trace = JSON.parse((await browser.stopTracing()).toString("utf8"));
    const file = join(OUT, `keys-${o.size}${o.contender === "widget" ? "" : `-${o.contender}`}.trace.json`);
    await writeFile(file, JSON.stringify(trace));
    console.log(`${o.contender} at ${o.size.toLocaleString("en-US")} releases, vsync ${o.vsync ? "on" : "off"}`);
    console.log(`keystroke → results painted: median ${median(samples.map((s) => s.ms)).toFixed(1)} ms, p95 ${percentile(samples.map((s) => s.ms), 95).toFixed(1)} ms (${samples.filter((s) => s.changed).length} of ${samples.length} changed the results)`);
    analyse(trace);
    console.log(`\ntrace: ${relative(process.cwd(), file)}`);
  } finally {
    await browser.close().catch(() => {});
    await server.close();
  }
}

/** Prints the breakdown of a trace of the keystroke script. */
function analyse(trace) {
    const events = trace.traceEvents ?? trace;
    // The renderer's main thread: the one with the keydown EventDispatch events.
    const keydowns = events.filter((e) => e.name === "EventDispatch" && e.args?.data?.type === "keydown" && e.ph === "X");
    if (!keydowns.length) throw new Error("no keydown in the trace");
    const { pid, tid } = keydowns[0];
    const main = events.filter((e) => e.pid === pid && e.tid === tid);
    const starts = keydowns.filter((e) => e.pid === pid && e.tid === tid).map((e) => e.ts);
    // Control+A is a keydown of Control then one of A: keep the first keydown of each press by
    // taking, for each measured keystroke, the keydowns at least 50 ms apart.
    const presses = starts.filter((t, i) => i === 0 || t - starts[i - 1] > 50000);
    const windows = presses.map((t, i) => [t, presses[i + 1] ?? t + 500000]);
    const timeline = selfTimes(main, windows);
    const cpu = samplesPerWindow(events, pid, tid, windows);
    // The renderer's raster work, on its worker threads.
    const rasterTasks = events.filter((e) => e.pid === pid && e.name === "RasterTask" && e.ph === "X");
    const raster = windows.map(([from, to]) => rasterTasks.filter((e) => e.ts >= from && e.ts < to).reduce((s, e) => s + e.dur / 1000, 0));
    const rows = windows.map((_, i) => {
      const t = timeline[i];
      const script = t.script ?? 0;
      const wasm = Math.min(cpu[i].wasm, script);
      return { wasm, jsDom: script - wasm, style: t.style ?? 0, layout: t.layout ?? 0, paint: t.paint ?? 0, gc: t.gc ?? 0, other: t.other ?? 0, raster: raster[i] };
    });
    const keys = ["wasm", "jsDom", "style", "layout", "paint", "gc", "other", "raster"];
    const label = { wasm: "wasm (search + rendering to HTML)", jsDom: "JS glue + DOM calls (innerHTML, attributes)", style: "style", layout: "layout", paint: "paint (pre-paint, paint, layerize, commit)", gc: "garbage collection", other: "other main-thread work (task time no event accounts for)", raster: "raster (raster threads)" };
    console.log(`${rows.length} keystrokes in the trace`);
    console.log("| main-thread time per keystroke (ms) | median | p95 | total over the script |");
    console.log("| --- | ---: | ---: | ---: |");
    for (const k of keys) {
      const xs = rows.map((r) => r[k]);
      console.log(`| ${label[k]} | ${median(xs).toFixed(2)} | ${percentile(xs, 95).toFixed(2)} | ${xs.reduce((a, b) => a + b, 0).toFixed(0)} |`);
    }
    const totals = rows.map((r) => keys.filter((k) => k !== "raster").reduce((s, k) => s + r[k], 0));
    console.log(`| all main-thread work | ${median(totals).toFixed(2)} | ${percentile(totals, 95).toFixed(2)} | ${totals.reduce((a, b) => a + b, 0).toFixed(0)} |`);
}

main().catch((error) => {
  console.error(`bench: ${error.stack || error}`);
  process.exit(1);
});
