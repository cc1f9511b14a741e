// The npm package's ES module in a page without a bundler: mount(), the handle's methods, the
// events, and that mount/destroy leaves nothing behind.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, openPage, ARCHIVE } from "./harness.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const target = (page) => page.locator("#target");

test("mount() renders a feed object, and the handle drives the widget with events", async () => {
  const { page, context, log } = await openPage(env);
  await page.goto(`${env.url}/pages/module.html`);
  await target(page).locator(".re-item").first().waitFor();
  const total = await page.evaluate(() => window.feed.releases.length);
  await page.waitForFunction(() => window.events.some(([n]) => n === "load"));
  assert.deepEqual(await page.evaluate(() => window.events.find(([n]) => n === "load")[1]), { count: total, format: ARCHIVE ? "archive" : "native", pages: 1 });
  assert.equal(await target(page).locator(".re-item").count(), 5, "pageSize");

  await page.evaluate(() => window.widget.setQuery("kilmartin"));
  await target(page).locator(".re-count", { hasText: "1 release" }).waitFor();
  const filter = await page.evaluate(() => window.events.filter(([n]) => n === "filter").at(-1)[1]);
  assert.equal(filter.query, "kilmartin");

  await page.evaluate(() => window.widget.setFilters({ tags: ["Scams"] }));
  const scams = await page.evaluate(() => window.feed.releases.filter((r) => r.tags?.includes("Scams")).length);
  await target(page).locator(".re-count", { hasText: `${scams} releases` }).waitFor();

  await page.evaluate(() => window.widget.open("ag-kilmartin-immigration-2018"));
  await target(page).locator("#re-title").waitFor();
  assert.deepEqual(await page.evaluate(() => window.events.filter(([n]) => n === "open").at(-1)[1]), { id: "ag-kilmartin-immigration-2018" });
  assert.equal(new URL(page.url()).searchParams.get("m-release"), "ag-kilmartin-immigration-2018");

  await page.evaluate(() => window.print = () => {});
  await target(page).getByRole("button", { name: "Print" }).click();
  assert.deepEqual(await page.evaluate(() => window.events.filter(([n]) => n === "share").at(-1)[1]), { network: "print" });

  await page.evaluate(() => window.widget.setOptions({ sectionLabel: "Newsroom", share: ["email", "copy"], lang: "es-ES" }));
  await target(page).locator(".re-section", { hasText: "Newsroom" }).waitFor();
  assert.deepEqual(await target(page).locator(".re-share-list li").allInnerTexts(), ["Correo electrónico", "Copiar enlace"], "the share option picks the controls (in the lang chosen)");
  assert.equal(await target(page).locator(".re-release time").innerText(), "19 de junio de 2018", "lang sets the date language");
  await page.evaluate(() => window.widget.open(null));
  await target(page).locator(".re-item").first().waitFor();
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("mount() refuses unknown options and missing elements with clear errors; a bad feed is an error event", async () => {
  const { page, context } = await openPage(env);
  await page.goto(`${env.url}/pages/module.html`);
  await page.waitForFunction(() => window.widget);
  const errors = await page.evaluate(async () => {
    const out = [];
    for (const [el, options] of [[document.body, { src: "/releases.json", colour: "red" }], [null, { src: "/x.json" }], [document.body, {}]]) {
      try {
        await window.mount(el, options);
      } catch (e) {
        out.push(`${e.name}: ${e.message}`);
      }
    }
    return out;
  });
  assert.deepEqual(errors, [
    'TypeError: release-embed: unknown option "colour"; known options: src, feed, format, release, pageSize, filters, share, lang, timeout, headingLevel, sectionLabel, pages, urlKey, maxBytes, layout, limit, moreHref, moreLabel, open, subscribeHref, subscribeLabel',
    "TypeError: release-embed: mount() needs an element to render into",
    "TypeError: release-embed: give a feed address (src) or a feed object (feed)",
  ]);
  const detail = await page.evaluate(async () => {
    const el = document.createElement("div");
    document.body.append(el);
    const seen = new Promise((done) => el.addEventListener("release-embed:error", (e) => done(e.detail)));
    await window.mount(el, { feed: "{ not json" });
    return seen;
  });
  assert.deepEqual(detail, { message: "Releases could not be loaded: the feed is not valid JSON." });
  await context.close();
});

test("mounting and destroying 1,000 times leaves no nodes or listeners behind", async () => {
  const { page, context } = await openPage(env);
  await page.goto(`${env.url}/pages/module.html`);
  await target(page).locator(".re-item").first().waitFor();
  const cdp = await context.newCDPSession(page);
  const counters = async () => {
    await cdp.send("HeapProfiler.collectGarbage");
    const { nodes, jsEventListeners } = await cdp.send("Memory.getDOMCounters");
    return { nodes, jsEventListeners };
  };
  const cycle = (times) =>
    page.evaluate(async (n) => {
      const feed = { version: "1", releases: window.feed.releases.slice(0, 3) };
      for (let i = 0; i < n; i++) {
        const el = document.createElement("div");
        document.body.append(el);
        const loaded = new Promise((done) => el.addEventListener("release-embed:load", done, { once: true }));
        const w = await window.mount(el, { feed });
        await loaded;
        w.destroy();
        el.remove();
      }
    }, times);
  await cycle(10);
  const before = await counters();
  await cycle(1000);
  const after = await counters();
  assert.ok(after.jsEventListeners <= before.jsEventListeners, `listeners ${before.jsEventListeners} → ${after.jsEventListeners}`);
  assert.ok(after.nodes <= before.nodes + 50, `nodes ${before.nodes} → ${after.nodes}`);
  await context.close();
});
