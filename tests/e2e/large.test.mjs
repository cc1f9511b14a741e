// A 50 MB feed, native and JSON Feed: the tab does not crash, every release is counted, and the
// page answers while it loads: a sampler in the page records, on each turn the page gets, what
// the widget is doing, so the test sees turns during the download, the reading and the indexing
// (counted, not timed).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, openPage, widget } from "./harness.mjs";

const COUNT = 12000;
const BODY = "The office announced a settlement with a consumer lender over deceptive fees. ".repeat(60);

function nativeFeed() {
  const releases = Array.from({ length: COUNT }, (_, i) => ({
    id: `r${i}`,
    title: `Release ${i} about consumer protection`,
    date: `20${String(10 + (i % 15)).padStart(2, "0")}-0${1 + (i % 9)}-1${i % 10}`,
    agency: `Office ${i % 10}`,
    tags: [`Topic ${i % 40}`],
    body: BODY,
  }));
  return JSON.stringify({ version: "1", releases });
}

function jsonFeed() {
  const items = Array.from({ length: COUNT }, (_, i) => ({
    id: `j${i}`,
    title: `Item ${i}`,
    date_published: "2024-05-01T12:00:00Z",
    content_html: `<p>${BODY}</p>`,
  }));
  return JSON.stringify({ version: "https://jsonfeed.org/version/1.1", title: "Large", items });
}

/** Runs in the page from its start: every 50 ms that the page gets a turn, notes the phase. */
function sampleTurns() {
  window.turns = [];
  setInterval(() => {
    const el = document.querySelector("release-embed");
    const downloaded = performance.getEntriesByType("resource").some((e) => e.name.endsWith("/large.json"));
    const searchReady = Boolean(el?.shadowRoot?.querySelector("input.re-search:not([disabled])"));
    const phase = !downloaded ? "download" : el?.getAttribute("aria-busy") === "true" ? "reading" : searchReady ? "done" : "indexing";
    window.turns.push(phase);
  }, 50);
}

const count = (turns, phase) => turns.filter((t) => t === phase).length;

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

for (const [name, build] of [["native", nativeFeed], ["JSON Feed", jsonFeed]]) {
  test(`a 50 MB ${name} feed loads without crashing the tab`, async () => {
    const body = build();
    assert.ok(body.length > 50_000_000, `${(body.length / 1e6).toFixed(1)} MB`);
    const { page, context, log } = await openPage(env);
    let crashed = false;
    page.on("crash", () => (crashed = true));
    await page.addInitScript(sampleTurns);
    await page.route((url) => url.pathname === "/large.json", (route) => route.fulfill({ body, contentType: "application/json" }));
    await page.goto(`${env.url}/embed.html?src=/large.json&timeout=60`);
    const w = widget(page);
    await w.locator(".re-count", { hasText: "12,000 releases" }).waitFor({ timeout: 60000 });
    await w.locator("input.re-search:not([disabled])").waitFor({ timeout: 60000 });
    const turns = await page.evaluate(() => window.turns);
    // The native reader works in slices: the page gets turns while it reads. Other formats are
    // one document read at once (a page of a paged feed), then indexed in slices.
    if (name === "native") assert.ok(count(turns, "reading") >= 3, `turns while reading: ${count(turns, "reading")}`);
    assert.ok(count(turns, "indexing") >= 3, `turns while indexing: ${count(turns, "indexing")}`);
    assert.equal(crashed, false);
    assert.deepEqual(log.errors, []);
    await context.close();
  });
}
