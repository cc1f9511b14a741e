// A keystroke changes only what changed: at 1,000 releases, each release that stays in the results
// keeps its list item (the same <li> node, counted by a MutationObserver on the results), only
// releases new to the results get new items, and an item that comes back after Backspace is the
// one it had before.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, openPage, widget } from "./harness.mjs";

const COUNT = 1000;
// Each prefix of "budget" matches fewer titles than the one before: b 6/7 of them, bu 5/7, …
const WORDS = ["bakery", "bus", "buddy", "budgie", "budgerigar", "budget", "harbor"];
const day = (i) => new Date(Date.UTC(2000, 0, 1) + i * 86400000).toISOString().slice(0, 10);
const releases = Array.from({ length: COUNT }, (_, i) => ({ id: `n${i}`, title: `Note ${i} ${WORDS[i % WORDS.length]}`, date: day(i) }));
const matching = (q) => releases.filter((r) => !q || r.title.toLowerCase().split(" ").some((w) => w.startsWith(q))).length;
const label = (n) => `${n.toLocaleString("en-US")} release${n === 1 ? "" : "s"}`;

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

/** In the page: starts counting the items added to and removed from the list of results. */
function watch() {
  const root = document.querySelector("release-embed").shadowRoot;
  const list = () => root.querySelector(".re-results > ul");
  const idOf = (li) => li.querySelector("[data-re-open]")?.getAttribute("data-re-open");
  const items = () => new Map([...(list()?.children ?? [])].map((li) => [idOf(li), li]));
  const w = (window.watched = { list: list(), before: items(), added: [], removed: [] });
  window.seen ??= {};
  window.seen[root.querySelector("input.re-search").value] ??= w.before;
  w.observer = new MutationObserver((records) => {
    for (const r of records) {
      if (!r.target.matches?.(".re-results > ul")) continue;
      w.added.push(...[...r.addedNodes].filter((n) => n.tagName === "LI"));
      w.removed.push(...[...r.removedNodes].filter((n) => n.tagName === "LI"));
    }
  });
  w.observer.observe(root.querySelector(".re-results"), { childList: true, subtree: true });
  w.report = () => {
    w.observer.disconnect();
    const now = items();
    const ids = (lis) => lis.map(idOf);
    // Really gone: removed and not put back (a moved item is removed and added again).
    const gone = w.removed.filter((li) => !li.isConnected);
    const made = w.added.filter((li) => ![...w.before.values()].includes(li));
    const query = root.querySelector("input.re-search").value;
    const earlier = window.seen[query];
    window.seen[query] = now;
    return {
      sameList: list() === w.list,
      kept: [...now].filter(([id, li]) => w.before.get(id) === li).length,
      replaced: [...now.keys()].filter((id) => w.before.has(id) && w.before.get(id) !== now.get(id)),
      goneButStill: ids(gone).filter((id) => now.has(id)),
      madeButWasThere: ids(made).filter((id) => w.before.has(id)),
      made: made.length,
      newToResults: [...now.keys()].filter((id) => !w.before.has(id)).length,
      shown: now.size,
      // Items shown for this query before, and again now: how many are the same node.
      back: earlier ? { both: [...now.keys()].filter((id) => earlier.has(id)).length, same: [...now].filter(([id, li]) => earlier.get(id) === li).length } : null,
    };
  };
}

test("at 1,000 releases a keystroke replaces no list item whose release stays in the results", async () => {
  const body = JSON.stringify({ version: "1", releases });
  const { page, context, log } = await openPage(env);
  await page.route((url) => url.pathname === "/items.json", (route) => route.fulfill({ body, contentType: "application/json" }));
  await page.goto(`${env.url}/embed.html?src=/items.json&page-size=50`);
  const w = widget(page);
  const search = w.locator("input.re-search:not([disabled])");
  await search.waitFor();
  await w.locator(".re-count", { hasText: label(COUNT) }).waitFor();
  await search.click();

  const step = async (key, query) => {
    await page.evaluate(watch);
    await page.keyboard.press(key);
    await w.locator(".re-count", { hasText: new RegExp(`^${label(matching(query))}$`) }).waitFor();
    const r = await page.evaluate(() => window.watched.report());
    const what = `${key} → "${query}": ${JSON.stringify(r)}`;
    assert.equal(r.shown, Math.min(50, matching(query)), what);
    assert.ok(r.sameList, `the list itself stays: ${what}`);
    assert.deepEqual(r.replaced, [], `no release that stays gets a new item: ${what}`);
    assert.deepEqual(r.goneButStill, [], `no item removed for a release still shown: ${what}`);
    assert.deepEqual(r.madeButWasThere, [], `no new item for a release that was shown: ${what}`);
    assert.equal(r.made, r.newToResults, `one new item per release new to the results: ${what}`);
    assert.equal(await w.locator("#re-live").innerText(), label(matching(query)), `announced: ${what}`);
    return r;
  };

  let query = "";
  const typed = [];
  for (const letter of "budget") {
    query += letter;
    typed.push(await step(letter, query));
  }
  assert.ok(typed.some((r) => r.kept >= 25), `most items stay when a letter narrows the search: ${typed.map((r) => r.kept)}`);
  for (let n = query.length - 1; n >= 0; n--) {
    query = query.slice(0, n);
    const r = await step("Backspace", query);
    assert.ok(r.back && r.back.both > 0, `"${query}" shows releases it showed before: ${JSON.stringify(r)}`);
    assert.equal(r.back.same, r.back.both, `items coming back after Backspace are the ones they had: "${query}" ${JSON.stringify(r)}`);
  }
  assert.equal(
    await page.evaluate(() => document.querySelector("release-embed").shadowRoot.activeElement?.name),
    "q",
    "focus stays in the search box",
  );
  assert.deepEqual(log.errors, []);
  await context.close();
});

/** In the page: types each value into the search box in one go (one `input` event each, no turn
 * for the browser in between) and gives the count line after each, and every count it shows. */
function typeInOneTurn(values) {
  const root = document.querySelector("release-embed").shadowRoot;
  const input = root.querySelector("input.re-search");
  const count = () => root.querySelector(".re-count").textContent;
  window.counts = [];
  new MutationObserver(() => window.counts.push(count())).observe(root.querySelector(".re-results"), { childList: true, subtree: true, characterData: true });
  return values.map((v) => {
    input.value = v;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    return count();
  });
}

for (const frames of [true, false]) {
  test(`changes before the next frame are drawn once, at the ${frames ? "frame" : "timer, in a page that runs no animation frames"}`, async () => {
    const body = JSON.stringify({ version: "1", releases });
    const { page, context, log } = await openPage(env);
    if (!frames) {
      // As a hidden tab: requestAnimationFrame never calls back.
      await page.addInitScript(() => {
        window.requestAnimationFrame = () => 1;
        window.cancelAnimationFrame = () => {};
      });
    }
    await page.route((url) => url.pathname === "/items.json", (route) => route.fulfill({ body, contentType: "application/json" }));
    await page.goto(`${env.url}/embed.html?src=/items.json`);
    const w = widget(page);
    await w.locator("input.re-search:not([disabled])").waitFor();
    const shown = await page.evaluate(typeInOneTurn, ["b", "bu", "bud"]);
    assert.deepEqual(shown, [label(matching("b")), label(matching("b")), label(matching("b"))], "the first change at once, the others wait");
    await w.locator(".re-count", { hasText: new RegExp(`^${label(matching("bud"))}$`) }).waitFor();
    const counts = [...new Set(await page.evaluate(() => window.counts))];
    assert.deepEqual(counts, [label(matching("b")), label(matching("bud"))], "one update for the two changes that waited: bu was never drawn");
    assert.equal(await w.locator("#re-live").innerText(), label(matching("bud")));
    assert.deepEqual(log.errors, []);
    await context.close();
  });
}
