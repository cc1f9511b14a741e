// What the longest main-thread tasks of a first visit are made of: the widget page on SRC (a
// feed or an archive's manifest under bench/out, served at /feeds/), loaded under a Chrome trace
// until search is ready, then the three longest tasks of the page's main thread, each with the
// trace events inside it that took more than 2 ms, in order.
//   node bench/trace-load.mjs /feeds/archive-100000/archive.json
import { chromium } from "playwright-core";
import { startServer } from "../tools/serve.mjs";
import { MOUNTS, PROBE, launchArgs, sleep } from "./run.mjs";

const src = process.argv[2];
if (!src) throw new Error("usage: node bench/trace-load.mjs /feeds/<feed or archive.json>");
const CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "v8", "blink", "loading"];
const server = await startServer({ mounts: MOUNTS, port: 0 });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: launchArgs() });
try {
  const page = await (await browser.newContext({ viewport: { width: 1000, height: 900 } })).newPage();
  await page.addInitScript({ content: PROBE });
  await browser.startTracing(page, { categories: CATEGORIES });
  await page.goto(`${server.url}/widget/?feed=${encodeURIComponent(src)}&page=10`);
  await page.evaluate(() => window.__bench.ready);
  await sleep(1500);
  const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
  // The page's main thread: the renderer main thread that ran the longest task.
  const mains = events.filter((e) => e.name === "thread_name" && e.args.name === "CrRendererMain");
  const complete = (m) => events.filter((e) => e.pid === m.pid && e.tid === m.tid && e.ph === "X");
  const longest = (list) => Math.max(0, ...list.filter((e) => e.name === "RunTask").map((e) => e.dur));
  const mine = mains.map(complete).sort((a, b) => longest(b) - longest(a))[0] ?? [];
  const start = Math.min(...mine.map((e) => e.ts));
  const tasks = mine.filter((e) => e.name === "RunTask").sort((a, b) => b.dur - a.dur).slice(0, 3);
  for (const t of tasks) {
    console.log(`task of ${(t.dur / 1000).toFixed(1)} ms, ${((t.ts - start) / 1000).toFixed(0)} ms into the trace`);
    mine
      .filter((e) => e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e.dur > 2000)
      .sort((a, b) => a.ts - b.ts)
      .forEach((e) => console.log(`  ${(e.dur / 1000).toFixed(1).padStart(6)} ms  at +${((e.ts - t.ts) / 1000).toFixed(1)}  ${e.name}`));
  }
} finally {
  await browser.close();
  await server.close();
}
