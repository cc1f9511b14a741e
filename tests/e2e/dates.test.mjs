// Feeds as agencies publish them (issue 17): dates in the forms CMSs write (Drupal's own
// patterns, US numeric dates, Atom's `updated` alone, JSON Feed dates in no standard form) never
// cost an item. Every item shows; one whose date cannot be read shows undated, after the dated
// ones, and the console says once which items and which field.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { eventually, start, openPage, widget } from "./harness.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

async function list(fixture) {
  const opened = await openPage(env);
  await opened.page.goto(`${env.url}/embed.html?src=/fixtures/${fixture}`);
  const w = widget(opened.page);
  await w.locator(".re-item").first().waitFor();
  return { ...opened, w };
}

/** Each listed item's title and its <time datetime>, or null when it shows none. */
async function items(w) {
  return w.locator(".re-item").evaluateAll((items) =>
    items.map((i) => [i.querySelector(".re-item-title").textContent.trim(), i.querySelector("time")?.getAttribute("datetime") ?? null]),
  );
}

const count = (fixture, tag) => readFileSync(new URL(`../fixtures/${fixture}`, import.meta.url), "utf8").split(tag).length - 1;

test("a Drupal RSS feed with Drupal's date patterns shows every item, the unreadable one undated and last", async () => {
  const { context, log, w } = await list("rss2-drupal-dates.xml");
  assert.deepEqual(await items(w), [
    ["Arrest made in Harbor Street burglaries", "2019-03-08T09:00:00"],
    ["Sheriff announces spring safety fair", "2019-03-07T16:15:00"],
    ["Road closure on Route 9 for bridge inspection", "2019-03-06T14:30:00"],
    ["Deputies recover stolen boat trailer", "2019-03-05T10:05:00"],
    ["Statement on the county budget hearing", null],
  ]);
  assert.equal(await w.locator(".re-count").innerText(), `${count("rss2-drupal-dates.xml", "<item>")} releases`);
  assert.equal(await w.locator(".re-item time").first().innerText(), "March 8, 2019");
  // The undated item's meta line has no date, and nothing else is lost.
  const undated = w.locator(".re-item").last();
  assert.equal(await undated.locator("time").count(), 0);
  assert.equal(await undated.locator(".re-summary").innerText(), "The sheriff will speak at the hearing.");
  await eventually(() => log.warnings.some((m) => m.includes("1 of its items is shown undated") && m.includes("item #5 (“205 at https://county.example.gov”): bad <pubDate>")), "one console message naming the item and the field");
  assert.equal(log.warnings.filter((m) => m.includes("undated")).length, 1, "once per feed");
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("a WordPress RSS feed shows every post: a dc:date stands in for a missing pubDate, a post without a title gets one", async () => {
  const { context, log, w } = await list("rss2-wordpress-posts.xml");
  const shown = await items(w);
  assert.equal(shown.length, count("rss2-wordpress-posts.xml", "<item>"));
  assert.deepEqual(shown, [
    ["Attorney General sues robocall operators", "2024-03-14T15:00:00Z"],
    ["Settlement returns $2 million to tenants", "2024-03-12T10:30:00-04:00"],
    ["Statement on the Supreme Court ruling in the water rights case.", "2024-03-11T09:15:00Z"],
    ["Scam alert: fake jury duty calls", "2024-03-08T13:45:00Z"],
  ]);
  assert.deepEqual(log.warnings.filter((m) => m.includes("skipped") || m.includes("undated")), []);
  await context.close();
});

test("an Atom feed whose entries have only <updated> shows every entry by that date", async () => {
  const { context, log, w } = await list("atom-updated-only.xml");
  assert.deepEqual(await items(w), [
    ["Free radon test kits available", "2024-05-03T08:30:00-04:00"],
    ["Measles case confirmed in the capital region", "2024-05-01T09:00:00-04:00"],
    ["Drinking water report published", "2024-04-29T14:00:00-04:00"],
  ]);
  assert.deepEqual(log.warnings.filter((m) => m.includes("release-embed")), []);
  await context.close();
});

test("a JSON Feed with dates in no known format shows every item, the undated ones last, with one message", async () => {
  const { context, log, w } = await list("jsonfeed-odd-dates.json");
  assert.deepEqual(await items(w), [
    ["Council approves park budget", "2024-10-05T19:00:00-05:00"],
    ["Library extends weekend hours", "2024-10-02"],
    ["Leaf pickup starts Monday", null],
    ["Water main repair on Elm Street", null],
  ]);
  await eventually(
    () =>
      log.warnings.some(
        (m) =>
          m.includes("2 of its items are shown undated") &&
          m.includes("item #1 (“https://lakeview.example.gov/news/leaf-pickup”): bad \"date_published\"") &&
          m.includes("item #3 (“https://lakeview.example.gov/news/water-main”): it has no date (\"date_published\", \"date_modified\")"),
      ),
    "one console message naming both items and their field",
  );
  await context.close();
});

test("the meta line's parts are spaced and a screen reader hears a pause between them", async () => {
  const { context, w } = await list("rss2-wordpress-posts.xml");
  const meta = w.locator(".re-item .re-meta").first();
  // The text of the line without what `skip` matches, white space as the browser collapses it.
  const text = (skip) =>
    meta.evaluate((p, skip) => {
      const walk = (n) => (n.nodeType === 3 ? n.textContent : n.matches?.(skip) ? "" : [...n.childNodes].map(walk).join(""));
      return walk(p).replace(/\s+/g, " ").trim();
    }, skip);
  // What is seen: the separator with a space on each side (the visually hidden comma aside).
  assert.equal(await text(".re-visually-hidden"), "March 14, 2024 · By Press Office");
  // The space after the dot is laid out: the author starts right of the dot by more than the dot.
  const gap = await meta.evaluate((p) => {
    const dot = p.querySelector('.re-sep [aria-hidden="true"]').getBoundingClientRect();
    return p.querySelector(".re-author").getBoundingClientRect().left - dot.right;
  });
  assert.ok(gap >= 2, `a space after the dot (${gap}px)`);
  // What is read: the dot hidden, a comma (a pause) in its place.
  assert.equal(await text('[aria-hidden="true"]'), "March 14, 2024 , By Press Office");
  await context.close();
});
