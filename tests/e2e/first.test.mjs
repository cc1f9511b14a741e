// HTML first (js/first.js, src/web/first.rs): what a reader sees before the wasm and the feed
// arrive. An archive's first page from its manifest; on a repeat visit, the list shown last time;
// the page's own children of <release-embed> until the first render. Each test holds the wasm
// or the feed (page.route) to look at the page in between, and checks the hand-over: focus,
// scroll and layout (layout shifts summed by a PerformanceObserver, as CLS counts them).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { start, openPage, widget, recordBlocked, startStrictServer, COMMAND } from "./harness.mjs";

const sample = JSON.parse(readFileSync("www/releases.json", "utf8"));
const newestFirst = [...sample.releases].sort((a, b) => Date.parse(b.date) - Date.parse(a.date));

let env;
let dir;
before(async () => {
  env = await start();
  dir = mkdtempSync(join(tmpdir(), "release-embed-first-"));
  execFileSync(COMMAND, ["archive", "www/releases.json", "--out", dir, "--include-future"]);
});
after(async () => {
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A gate a route waits at until the test opens it. */
function gate() {
  let open;
  const opened = new Promise((done) => (open = done));
  return { opened, open };
}

/** In the page, before its scripts: layout shifts summed (without those after input, as CLS). */
const LAYOUT_SHIFTS = () => {
  window.__shifts = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts += e.value;
  }).observe({ type: "layout-shift", buffered: true });
};

/** Holds every wasm response until `held.open()`; counts those completed. */
async function holdWasm(page, held) {
  const done = { wasm: 0 };
  page.on("requestfinished", (r) => {
    if (r.url().endsWith(".wasm")) done.wasm += 1;
  });
  await page.route((url) => url.pathname.endsWith(".wasm"), async (route) => {
    await held.opened;
    return route.fallback();
  });
  return done;
}

/** A page with one widget, `inner` inside it, the script at the end of the head as agencies paste it. */
function pageWith(page, path, attrs, inner = "", height = 0) {
  return page.route((url) => url.pathname === path, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>News</title><link rel="icon" href="data:,">
<script src="/dist/release-embed.js" defer></script></head><body><main><h1>News</h1>
<div style="height:${height}px"></div><release-embed ${attrs}>${inner}</release-embed><div style="height:1200px"></div></main></body></html>`,
    }),
  );
}

const preview = (w) => w.locator(".re-root[data-re-preview]");
const handedOver = (w) => w.locator(".re-root:not([data-re-preview]) .re-item-title").first().waitFor();

test("an archive's first list is on screen before any wasm has arrived; the wasm takes it over keeping focus, scroll and layout", async () => {
  const { page, context, log } = await openPage(env);
  await page.addInitScript(LAYOUT_SHIFTS);
  await page.route((url) => url.pathname.startsWith("/a/"), (route) =>
    route.fulfill({ path: join(dir, new URL(route.request().url()).pathname.slice("/a/".length)) }),
  );
  const held = gate();
  const done = await holdWasm(page, held);
  await pageWith(page, "/news.html", `src="/a/archive.json" id="news"`, "", 300);
  await page.goto(`${env.url}/news.html`);
  const w = widget(page);
  const first = w.getByRole("link", { name: newestFirst[0].title });
  await first.waitFor();
  assert.equal(done.wasm, 0, "no wasm response has completed");
  assert.equal(await preview(w).count(), 1, "the list is the command's first page");
  assert.equal(await w.locator(".re-item-title").count(), 10);
  // Links are this page's, under the widget's key; dates as the widget writes them.
  assert.equal(await first.getAttribute("href"), `${env.url}/news.html?news-release=${encodeURIComponent(newestFirst[0].id)}`);
  const styled = await w.locator(".re-item-title a").first().evaluate((el) => getComputedStyle(el).textDecorationLine);
  assert.ok(styled, "the widget's stylesheet applies");
  assert.equal(await page.locator("release-embed").getAttribute("aria-busy"), "true");

  // The reader moves to a release's link and scrolls before the wasm comes. Only the hand-over's
  // layout shifts count (the list appearing moves what follows it, as any late content does).
  await w.getByRole("link", { name: newestFirst[2].title }).focus();
  await page.evaluate(() => window.scrollTo(0, 250));
  const before = await w.locator(".re-list").boundingBox();
  await page.evaluate(() => (window.__shifts = 0));
  held.open();
  await handedOver(w);
  assert.equal(await page.evaluate(() => window.scrollY), 250, "the scroll stays");
  const focused = await page.evaluate(() => document.querySelector("release-embed").shadowRoot.activeElement?.textContent);
  assert.equal(focused, newestFirst[2].title, "focus stays on the same link");
  assert.deepEqual(await w.locator(".re-list").boundingBox(), before, "the list keeps its place and size");
  await page.waitForTimeout(300);
  const shifts = await page.evaluate(() => window.__shifts);
  assert.ok(shifts <= 0.01, `layout shift ${shifts} ≤ 0.01`);
  assert.equal(await page.locator("release-embed").getAttribute("aria-busy"), null);
  // The widget's own now: a search works.
  await w.locator("input.re-search").fill("kilmartin");
  await w.locator(".re-count", { hasText: "1 release" }).waitFor();
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("a search typed into an archive's first page before the wasm is run when it arrives", async () => {
  const { page, context } = await openPage(env);
  await page.route((url) => url.pathname.startsWith("/a/"), (route) =>
    route.fulfill({ path: join(dir, new URL(route.request().url()).pathname.slice("/a/".length)) }),
  );
  const held = gate();
  await holdWasm(page, held);
  await pageWith(page, "/news.html", `src="/a/archive.json"`);
  await page.goto(`${env.url}/news.html`);
  const w = widget(page);
  await w.locator("input.re-search").fill("kilmartin");
  held.open();
  await w.locator(".re-count", { hasText: "1 release" }).waitFor();
  assert.equal(await w.locator("input.re-search").inputValue(), "kilmartin");
  await context.close();
});

test("an archive's first page is not shown when the widget will not draw it so, nor when it is not the widget's markup", async () => {
  for (const [attrs, why] of [
    [`src="/a/archive.json" page-size="5"`, "other options"],
    [`src="/a/archive.json" lang="es"`, "another language"],
  ]) {
    const { page, context } = await openPage(env);
    await page.route((url) => url.pathname.startsWith("/a/"), (route) =>
      route.fulfill({ path: join(dir, new URL(route.request().url()).pathname.slice("/a/".length)) }),
    );
    const held = gate();
    const done = await holdWasm(page, held);
    await pageWith(page, "/news.html", attrs);
    await page.goto(`${env.url}/news.html`);
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => !!document.querySelector("release-embed").shadowRoot), false, why);
    assert.equal(done.wasm, 0);
    held.open();
    await widget(page).locator(".re-item-title").first().waitFor();
    await context.close();
  }

  // A tampered manifest: markup beyond the list view's is refused whole, not cleaned.
  const manifest = JSON.parse(readFileSync(join(dir, "archive.json"), "utf8"));
  const hostile = [
    `<section class="re-list"><img src="x" onerror="window.__pwned = 1"></section>`,
    `<section class="re-list"><a href="javascript:window.__pwned = 1">Open</a></section>`,
    `<section class="re-list"><style>*{display:none}</style></section>`,
    `<section class="re-list"><iframe srcdoc="<script>parent.__pwned = 1</script>"></iframe></section>`,
  ];
  for (const html of hostile) {
    const { page, context, log } = await openPage(env);
    await page.route((url) => url.pathname.startsWith("/a/"), (route) => {
      const path = new URL(route.request().url()).pathname.slice("/a/".length);
      if (path !== "archive.json") return route.fulfill({ path: join(dir, path) });
      return route.fulfill({ contentType: "application/json", body: JSON.stringify({ ...manifest, first_page: { lang: "en", html } }) });
    });
    const held = gate();
    await holdWasm(page, held);
    await pageWith(page, "/news.html", `src="/a/archive.json"`);
    await page.goto(`${env.url}/news.html`);
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => !!document.querySelector("release-embed").shadowRoot), false, html);
    assert.ok(log.warnings.some((m) => m.includes("not the widget's markup")), html);
    held.open();
    await widget(page).locator(".re-item-title").first().waitFor();
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    await context.close();
  }
});

/** A feed served at /feeds/live.json whose releases the test sets, optionally held. */
async function liveFeed(page) {
  const feed = { releases: sample.releases.slice(0, 12), held: null };
  await page.route((url) => url.pathname === "/feeds/live.json", async (route) => {
    if (feed.held) await feed.held.opened;
    return route.fulfill({
      contentType: "application/json",
      body: JSON.stringify({ ...sample, releases: feed.releases }),
    });
  });
  return feed;
}

test("a repeat visit shows the last list before the feed answers, keeps it in place if nothing changed, then shows a new release", async () => {
  const { page, context, log } = await openPage(env);
  await page.addInitScript(LAYOUT_SHIFTS);
  const feed = await liveFeed(page);
  await pageWith(page, "/news.html", `src="/feeds/live.json"`);
  // First visit: nothing kept, the widget renders and keeps its first list.
  await page.goto(`${env.url}/news.html`);
  const w = widget(page);
  await w.locator(".re-item-title").first().waitFor();
  await w.locator("input.re-search:not([disabled])").waitFor();
  const shown = await w.locator(".re-item-title").allInnerTexts();
  const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("release-embed:first:")).length);
  assert.equal(kept, 1);

  // Second visit, the feed held: the last list is there at once.
  feed.held = gate();
  await page.goto(`${env.url}/news.html`);
  await preview(w).locator(".re-item-title").first().waitFor();
  assert.deepEqual(await w.locator(".re-item-title").allInnerTexts(), shown);
  await page.evaluate(() => {
    document.querySelector("release-embed").shadowRoot.querySelector(".re-item").dataset.marked = "same node";
    window.__shifts = 0; // the hand-over's shifts only
  });
  feed.held.open();
  await w.locator("input.re-search:not([disabled])").waitFor();
  await w.locator(".re-root:not([data-re-preview])").waitFor();
  assert.equal(await w.locator(".re-item[data-marked='same node']").count(), 1, "nothing was redrawn");
  const shifts = await page.evaluate(() => window.__shifts);
  assert.ok(shifts <= 0.01, `layout shift ${shifts} ≤ 0.01`);

  // Third visit: the feed has a new release. The kept list first, then the new one.
  const fresh = { id: "brand-new", title: "A brand new release", date: "2030-01-01", summary: "New." };
  feed.releases = [fresh, ...feed.releases];
  feed.held = gate();
  await page.goto(`${env.url}/news.html`);
  await preview(w).locator(".re-item-title").first().waitFor();
  assert.deepEqual(await w.locator(".re-item-title").allInnerTexts(), shown);
  feed.held.open();
  await w.getByRole("link", { name: fresh.title }).waitFor();
  assert.equal((await w.locator(".re-item-title").allInnerTexts())[0], fresh.title);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("a kept list that is not the widget's markup is never shown, and is dropped", async () => {
  const { page, context } = await openPage(env);
  const feed = await liveFeed(page);
  await pageWith(page, "/news.html", `src="/feeds/live.json"`);
  await page.goto(`${env.url}/news.html`);
  await widget(page).locator(".re-item-title").first().waitFor();
  // The widget keeps its list once the search is ready too: plant after that, or it overwrites.
  await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith("release-embed:first:")));
  await page.evaluate(() => {
    for (const key of Object.keys(localStorage).filter((k) => k.startsWith("release-embed:first:"))) {
      localStorage.setItem(key, `<section class="re-list"><img src="x" onerror="window.__pwned = 1"><p>Planted</p></section>`);
    }
  });
  feed.held = gate();
  await page.goto(`${env.url}/news.html`);
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => !!document.querySelector("release-embed").shadowRoot?.querySelector("[data-re-preview]")), false);
  assert.equal(await page.getByText("Planted").count(), 0);
  feed.held.open();
  await widget(page).locator(".re-item-title").first().waitFor();
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await context.close();
});

test("the page's own children of <release-embed> stay until the widget's first render: no empty box", async () => {
  const { page, context } = await openPage(env);
  const feed = await liveFeed(page);
  feed.held = gate();
  const held = gate();
  await holdWasm(page, held);
  const fallback = readFileSync(join(dir, "fallback.html"), "utf8");
  await pageWith(page, "/news.html", `src="/feeds/live.json"`, fallback);
  await page.goto(`${env.url}/news.html`);
  const own = page.locator("release-embed > ul.re-fallback");
  await page.waitForTimeout(300);
  assert.equal(await own.isVisible(), true, "before the wasm");
  held.open();
  // The wasm has started (the element has its shadow root) and waits for the feed.
  await page.waitForFunction(() => !!document.querySelector("release-embed").shadowRoot);
  await page.waitForTimeout(300);
  assert.equal(await own.isVisible(), true, "after the wasm, before the feed");
  assert.equal(await page.locator("release-embed").getAttribute("aria-busy"), "true");
  feed.held.open();
  const w = widget(page);
  await w.locator(".re-item-title").first().waitFor();
  assert.equal(await own.isVisible(), false, "the widget's list replaces them");
  await context.close();
});

test("under a strict CSP, a repeat visit's kept list shows with nothing blocked", async () => {
  const strict = await startStrictServer();
  try {
    const { page, context, log } = await openPage({ ...env, url: strict.url });
    await recordBlocked(page);
    await page.goto(`${strict.url}/`);
    const w = widget(page);
    await w.locator("input.re-search:not([disabled])").waitFor();
    const held = gate();
    await page.route((url) => url.pathname.endsWith(".json"), async (route) => {
      await held.opened;
      return route.fallback();
    });
    await page.goto(`${strict.url}/`);
    await preview(w).locator(".re-item-title").first().waitFor();
    const styled = await w.locator(".re-item-title").first().evaluate((el) => getComputedStyle(el).fontWeight);
    assert.notEqual(styled, "", "styled");
    held.open();
    await w.locator("input.re-search:not([disabled])").waitFor();
    assert.deepEqual(await page.evaluate(() => window.blocked), []);
    assert.deepEqual(log.errors, []);
    await context.close();
  } finally {
    await strict.close();
  }
});
