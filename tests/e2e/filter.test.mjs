// Filtering in the browser, checked against counts computed here, independently, from the
// same sample feed the demo serves.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { start, openPage, widget } from "./harness.mjs";

const releases = JSON.parse(await readFile("www/releases.json", "utf8")).releases;
const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
const words = (s) => fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
const text = (r) => [r.title, r.summary, r.body, r.agency, r.dateline, ...(r.tags || [])].filter(Boolean).join(" ");
const hasWords = (r, q) => words(q).every((w) => words(text(r)).some((t) => t.startsWith(w)));
const count = (pred) => releases.filter(pred).length;
const label = (n) => (n === 1 ? "1 release" : `${n} releases`);

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

async function demo(query = "") {
  const session = await openPage(env);
  await session.page.goto(`${env.url}/${query}`);
  const w = widget(session.page);
  await w.locator("input.re-search:not([disabled])").waitFor();
  return { ...session, w };
}

const countText = (w) => w.locator(".re-count").innerText();
const param = (page, name) => new URL(page.url()).searchParams.getAll(`news-${name}`);
/** The number shown beside a facet value, e.g. "Scams (4)" → 4. */
const facetCount = async (w, facet, value) => {
  const text = await w.locator(`.re-facet[data-facet=${facet}] label`, { hasText: value }).first().innerText();
  return Number(/\((\d+)\)\s*$/.exec(text)[1]);
};

test("typing filters on every keystroke: count, highlights, live region and URL", async () => {
  const { page, context, log, w } = await demo();
  const search = w.locator("input.re-search");
  await search.click();
  for (const prefix of ["i", "im", "imm", "immi", "immig"]) {
    await page.keyboard.type(prefix.at(-1));
    await w.locator(".re-count", { hasText: label(count((r) => hasWords(r, prefix))) }).waitFor();
  }
  const expected = count((r) => hasWords(r, "immig"));
  assert.ok(expected >= 2 && expected < releases.length);
  assert.equal(await w.locator("#re-live").innerText(), label(expected), "announced politely");
  assert.equal(await w.locator("#re-live").getAttribute("aria-live"), "polite");
  assert.ok((await w.locator(".re-item mark").count()) > 0, "query words are highlighted");
  for (const m of await w.locator(".re-item mark").allInnerTexts()) assert.ok(fold(m).startsWith("immig"), m);
  await page.waitForURL((url) => url.searchParams.get("news-q") === "immig");
  assert.equal(await w.locator("select[name=sort]").inputValue(), "relevance", "relevance while a query is typed");
  assert.equal(await page.evaluate(() => document.querySelector("release-embed").shadowRoot.activeElement?.name), "q", "focus stays in the box");
  await page.goBack();
  await w.locator(".re-count", { hasText: label(releases.length) }).waitFor();
  assert.equal(await search.inputValue(), "", "one Back undoes the whole search, not one letter");
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("search ignores case and accents, requires every word, and matches quoted phrases", async () => {
  const accented = releases.flatMap((r) => text(r).match(/\p{L}*[À-ž]\p{L}*/gu) ?? [])[0];
  assert.ok(accented, "the sample feed has an accented word");
  const { context, w } = await demo();
  const search = w.locator("input.re-search");
  await search.fill(fold(accented).toUpperCase());
  await w.locator(".re-count", { hasText: label(count((r) => hasWords(r, accented))) }).waitFor();
  await search.fill('"moral compass"');
  await w.locator(".re-count", { hasText: "1 release" }).waitFor();
  assert.equal(await w.locator(".re-item-title").innerText(), releases[0].title);
  await search.fill('"compass moral"');
  await w.locator(".re-count", { hasText: "0 releases" }).waitFor();
  await context.close();
});

test("facets: OR inside a group, AND across groups, live counts, zero stays visible but disabled", async () => {
  const { page, context, w } = await demo();
  const has = (r, tag) => (r.tags || []).includes(tag);
  const tagA = "Scams";
  const tagB = "Settlements";
  await w.getByRole("checkbox", { name: new RegExp(`^${tagA} `) }).check();
  await w.locator(".re-count", { hasText: label(count((r) => has(r, tagA))) }).waitFor();
  await w.getByRole("checkbox", { name: new RegExp(`^${tagB} `) }).check();
  const either = (r) => has(r, tagA) || has(r, tagB);
  await w.locator(".re-count", { hasText: label(count(either)) }).waitFor();
  assert.deepEqual(param(page, "tag"), [tagA, tagB]);
  for (const office of [...new Set(releases.map((r) => r.agency))]) {
    assert.equal(await facetCount(w, "agency", office), count((r) => either(r) && r.agency === office), office);
  }
  const zero = w.locator(".re-facet input:disabled");
  assert.ok((await zero.count()) > 0, "some value would give nothing");
  assert.match(await w.locator(".re-facet label.re-disabled").first().innerText(), /\(0\)$/);
  const office = "Consumer Protection Unit";
  await w.getByRole("checkbox", { name: new RegExp(`^${office} `) }).check();
  await w.locator(".re-count", { hasText: label(count((r) => either(r) && r.agency === office)) }).waitFor();
  assert.equal(await facetCount(w, "tag", tagA), count((r) => has(r, tagA) && r.agency === office), "tag counts apply the office filter");
  await context.close();
});

test("a date range is inclusive, and sorting orders by date", async () => {
  const { context, w } = await demo();
  const inRange = (r) => r.date.slice(0, 10) >= "2019-01-01" && r.date.slice(0, 10) <= "2021-12-31";
  await w.locator("input[name=from]").fill("2019-01-01");
  await w.locator("input[name=to]").fill("2021-12-31");
  await w.locator(".re-count", { hasText: label(count(inRange)) }).waitFor();
  await w.locator("select[name=sort]").selectOption("oldest");
  const oldest = releases.filter(inRange).map((r) => r.date.slice(0, 10)).sort()[0];
  const first = await w.locator(".re-item time").first().getAttribute("datetime");
  assert.equal(first.slice(0, 10), oldest);
  const shown = await w.locator(".re-item time").evaluateAll((ts) => ts.map((t) => t.dateTime.slice(0, 10)));
  assert.deepEqual(shown, [...shown].sort(), "oldest first");
  await context.close();
});

test("pages: numbered navigation, focus on the results, and the page in the URL", async () => {
  const { page, context, w } = await demo();
  const firstPage = await w.locator(".re-item-title").allInnerTexts();
  await w.locator(".re-pages a", { hasText: "2" }).click();
  await w.locator(".re-pages a[aria-current=page]", { hasText: "2" }).waitFor();
  const secondPage = await w.locator(".re-item-title").allInnerTexts();
  assert.equal(secondPage.length, 10);
  assert.ok(secondPage.every((t) => !firstPage.includes(t)), "a different ten");
  assert.deepEqual(param(page, "page"), ["2"]);
  assert.equal(await page.evaluate(() => document.querySelector("release-embed").shadowRoot.activeElement?.id), "re-count");
  await w.getByRole("link", { name: "Next" }).click();
  await w.locator(".re-pages a[aria-current=page]", { hasText: "3" }).waitFor();
  await w.getByRole("link", { name: "Previous" }).click();
  await w.locator(".re-pages a[aria-current=page]", { hasText: "2" }).waitFor();
  await context.close();
});

test("reload restores the filters; Back and Forward step through them", async () => {
  const { page, context, w } = await demo();
  await w.getByRole("checkbox", { name: /^Consumer Protection Unit / }).check();
  const office = count((r) => r.agency === "Consumer Protection Unit");
  await w.locator(".re-count", { hasText: label(office) }).waitFor();
  await w.locator(".re-pages a", { hasText: "2" }).click();
  await w.locator(".re-pages a[aria-current=page]", { hasText: "2" }).waitFor();

  await page.reload();
  await w.locator(".re-pages a[aria-current=page]", { hasText: "2" }).waitFor();
  assert.equal(await countText(w), label(office));
  assert.ok(await w.getByRole("checkbox", { name: /^Consumer Protection Unit / }).isChecked());

  await page.goBack();
  await w.locator(".re-pages a[aria-current=page]", { hasText: "1" }).waitFor();
  assert.equal(await countText(w), label(office));
  await page.goBack();
  await w.locator(".re-count", { hasText: label(releases.length) }).waitFor();
  assert.equal(await w.getByRole("checkbox", { name: /^Consumer Protection Unit / }).isChecked(), false);
  await page.goForward();
  await w.locator(".re-count", { hasText: label(office) }).waitFor();
  await context.close();
});

test("no match offers Clear filters, which brings everything back", async () => {
  const { context, w } = await demo("?news-q=zzqx&news-tag=Scams");
  await w.locator(".re-empty").waitFor();
  assert.equal(await w.locator(".re-empty p").innerText(), "No releases match these filters.");
  await w.getByRole("button", { name: "Clear filters" }).click();
  await w.locator(".re-count", { hasText: label(releases.length) }).waitFor();
  assert.equal(await w.locator("input.re-search").inputValue(), "");
  assert.equal(await w.getByRole("checkbox", { name: /^Scams / }).isChecked(), false);
  await context.close();
});

test("filters=none shows the list without a filter panel; filters can pick controls", async () => {
  const { page, context } = await openPage(env);
  await page.goto(`${env.url}/embed.html?src=/releases.json&filters=none`);
  const w = widget(page);
  await w.locator(".re-item").first().waitFor();
  assert.equal(await w.locator("form.re-filters").count(), 0);
  assert.ok(await w.locator(".re-pages").count());
  await page.goto(`${env.url}/embed.html?src=/releases.json&filters=search%20years`);
  await w.locator("input.re-search").waitFor();
  assert.deepEqual(await w.locator(".re-facet").evaluateAll((fs) => fs.map((f) => f.dataset.facet)), ["year"]);
  assert.equal(await w.locator("input[name=from]").count(), 0);
  await context.close();
});
