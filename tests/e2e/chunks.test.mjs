// The list view's wasm is split (src/web/chunks.rs): each feed reader but the native one, the
// search index and the release bodies are chunks that share its memory. A native JSON list
// fetches none of them before it is painted, and the search chunk once it is; an RSS list fetches the XML reader beside the feed, not after it; a chunk that
// cannot be fetched says so with Try again, which works once it can; a chunk changed on the
// server is refused by its sha384; and chunks load under a strict Content Security Policy.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { eventually, start, openPage, widget, recordBlocked, startStrictServer, holdIdleCallbacks, holdUntilRequested } from "./harness.mjs";

const CHUNK = /\/release-embed-(split|chunk)-[a-z0-9]+\.[0-9a-f]{12}\.wasm$/;
const XML_CHUNK = /\/release-embed-split-xml\.[0-9a-f]{12}\.wasm$/;
const LIST_WASM = /\/release-embed\.[0-9a-f]{12}\.wasm$/;
const path = (url) => new URL(url).pathname;

let env;
let strict;
before(async () => {
  env = await start();
  strict = await startStrictServer();
});
after(async () => {
  await strict?.close();
  await env?.close();
});

/** The files a split needs, as a pattern (the build's table, pkg/chunk-splits.json). */
const SPLITS = JSON.parse(readFileSync("pkg/chunk-splits.json", "utf8"));
const splitFiles = (split) => {
  const stems = SPLITS[split].map((stem) => stem.replaceAll("_", "-"));
  return new RegExp(`/release-embed-(${stems.join("|")})\\.[0-9a-f]{12}\\.wasm$`);
};
const SEARCH_CHUNK = splitFiles("search");
const ENTITY_CHUNK = splitFiles("entities");

/** Records in the page when each wasm fetch started and when the first list item appeared. */
const recordFirstItemAndFetches = (page) =>
  page.addInitScript(() => {
    window.wasmFetches = [];
    const fetch = window.fetch;
    window.fetch = function (input, init) {
      const url = typeof input === "string" ? input : input.url;
      if (/\.wasm$/.test(url)) window.wasmFetches.push({ url, at: performance.now() });
      return fetch.call(this, input, init);
    };
    const look = () => {
      const root = document.querySelector("release-embed")?.shadowRoot;
      if (root?.querySelector(".re-item")) window.firstItemAt = performance.now();
      else requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });

test("a native JSON list fetches no chunk before it is painted; searching fetches only the search chunk", async () => {
  const { page, context, log } = await openPage(env);
  await holdIdleCallbacks(page);
  await recordFirstItemAndFetches(page);
  await page.goto(`${env.url}/embed.html?src=/releases.json`);
  const w = widget(page);
  await w.locator(".re-item").first().waitFor();
  await w.locator("input.re-search:not([disabled])").fill("kilmartin");
  await w.locator(".re-count", { hasText: "1 release" }).waitFor();
  const { firstItemAt, wasmFetches } = await page.evaluate(() => ({ firstItemAt: window.firstItemAt, wasmFetches: window.wasmFetches }));
  assert.ok(firstItemAt > 0, "the first item's time was recorded");
  const chunks = wasmFetches.filter((f) => CHUNK.test(path(f.url)));
  assert.deepEqual(chunks.filter((f) => f.at < firstItemAt), [], "no chunk was fetched before the list was painted");
  const fetched = log.requests.map(path);
  const others = fetched.filter((p) => (CHUNK.test(p) && !SEARCH_CHUNK.test(p)) || /archive/.test(p));
  assert.deepEqual(others, [], `no XML, JSON Feed, WordPress, named references, body or archive code: ${fetched.join(" ")}`);
  assert.ok(fetched.some((p) => SEARCH_CHUNK.test(p)), "the search chunk, for the search");
  assert.ok(fetched.some((p) => LIST_WASM.test(p)), "the list view's wasm");
  assert.deepEqual(log.errors, []);
  await context.close();
});

for (const [lang, hint, retry] of [
  ["en", "Search could not get ready: part of this page's news widget could not be downloaded. Check your connection and try again.", "Try again"],
  ["es", "La b\u00fasqueda no pudo prepararse: no se pudo descargar una parte del m\u00f3dulo de noticias de esta p\u00e1gina. Compruebe su conexi\u00f3n e int\u00e9ntelo de nuevo.", "Intentar de nuevo"],
]) {
  test(`the search chunk cannot be fetched: the list stays, the search box says why with ${retry} (${lang}), which makes search work`, async () => {
    const { page, context, log } = await openPage(env);
    let fail = true;
    await page.route((url) => SEARCH_CHUNK.test(url.pathname), (route) =>
      fail ? route.fulfill({ status: 503, body: "busy" }) : route.continue(),
    );
    await page.goto(`${env.url}/embed.html?src=/releases.json&lang=${lang}`);
    const w = widget(page);
    const hintText = w.locator("#re-q-hint", { hasText: hint });
    await hintText.waitFor();
    assert.ok((await w.locator(".re-item").count()) > 0, "the list is still shown");
    assert.equal(await w.locator("input.re-search").isDisabled(), true);
    assert.equal(await w.getByRole("alert").count(), 0, "not an error in place of the list");
    await eventually(() => log.errors.some((e) => e.includes("503")), "the browser's reason in the console");
    fail = false;
    await w.locator(".re-field-search").getByRole("button", { name: retry }).click();
    await w.locator("input.re-search:not([disabled])").fill("kilmartin");
    await w.locator(".re-item").first().waitFor();
    await eventually(async () => (await w.locator(".re-item").count()) === 1, "one release matches");
    assert.equal(await w.locator("#re-q-hint", { hasText: hint }).count(), 0, "the message is gone");
    await context.close();
  });
}

test("an RSS list named by its format attribute fetches the XML reader beside the feed, not after it", async () => {
  const { page, context, log } = await openPage(env);
  const held = await holdUntilRequested(page, /^\/fixtures\/rss2-drupal\.xml$/, XML_CHUNK);
  await page.goto(`${env.url}/embed.html?src=/fixtures/rss2-drupal.xml&format=rss`);
  await widget(page).locator(".re-item").first().waitFor();
  assert.ok(held.before, "the XML reader was requested while the feed was on its way");
  assert.equal(log.requests.filter((u) => XML_CHUNK.test(path(u))).length, 1, "fetched once");
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("without a format attribute, the feed's first byte (<) starts the XML reader before the list view's wasm has started", async () => {
  const { page, context, log } = await openPage(env);
  const held = await holdUntilRequested(page, LIST_WASM, XML_CHUNK);
  await page.goto(`${env.url}/embed.html?src=/fixtures/rss2-wordpress.xml`);
  await widget(page).locator(".re-item").first().waitFor();
  assert.ok(held.before, "the XML reader was requested while the list view's wasm was on its way");
  assert.equal(log.requests.filter((u) => XML_CHUNK.test(path(u))).length, 1, "fetched once");
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("a feed naming a reference beyond HTML 4's fetches the whole list before it is read, and shows each character", async () => {
  const { page, context, log } = await openPage(env);
  await holdIdleCallbacks(page);
  await page.goto(`${env.url}/embed.html?src=/fixtures/uncommon-references.json`);
  const w = widget(page);
  const summary = w.locator(".re-item", { hasText: "Ratings published" }).locator(".re-summary");
  await summary.waitFor();
  assert.equal(await summary.innerText(), "Parks rated \u2605\u2605\u2605 or better, from Caf\u00e9 Hill to the \u2124-shaped trail. Details follow.");
  assert.equal(log.requests.filter((u) => ENTITY_CHUNK.test(path(u))).length > 0, true, "the whole list's chunk");
  await w.locator(".re-item-title a", { hasText: "Ratings published" }).click();
  await w.locator(".re-body:not([aria-busy]) p").first().waitFor();
  assert.equal(await w.locator(".re-body p").first().innerText(), "Parks rated \u2605\u2605\u2605 or better, from Caf\u00e9 Hill to the \u2124-shaped trail.");
  assert.deepEqual(log.errors, []);
  await context.close();
});

/** Each reader's chunk: its split, a feed it reads, and the files it needs (the build's table);
 * the whole list of named references is read before a feed that names an uncommon one. */
const READERS = [
  ["xml", "rss2-drupal.xml", "rss"],
  ["jsonfeed", "jsonfeed-1.1.json", "jsonfeed"],
  ["wordpress", "wordpress-posts.json", "wordpress"],
  ["entities", "uncommon-references.json", "native"],
].map(([split, feed, format]) => {
  const first = SPLITS[split][0].replaceAll("_", "-");
  return { split, feed, format, file: splitFiles(split), shared: new RegExp(`/release-embed-${first}\\.[0-9a-f]{12}\\.wasm$`) };
});
const MESSAGES = {
  en: ["Releases could not be loaded: part of this page's news widget could not be downloaded. Check your connection and try again.", "Try again"],
  es: ["No se pudieron cargar los comunicados: no se pudo descargar una parte del m\u00f3dulo de noticias de esta p\u00e1gina. Compruebe su conexi\u00f3n e int\u00e9ntelo de nuevo.", "Intentar de nuevo"],
};

for (const [reader, lang] of [...READERS.map((r) => [r, "en"]), [READERS[0], "es"]]) {
  const [message, retry] = MESSAGES[lang];
  test(`the ${reader.split} reader's files cannot be fetched: the message and ${retry} (${lang}), which shows the list once they can`, async () => {
    const { page, context, log } = await openPage(env);
    let fail = true;
    await page.route((url) => reader.file.test(url.pathname), (route) =>
      fail ? route.fulfill({ status: 503, body: "busy" }) : route.continue(),
    );
    await page.goto(`${env.url}/embed.html?src=/fixtures/${reader.feed}&format=${reader.format}&lang=${lang}`);
    const w = widget(page);
    const alert = w.getByRole("alert");
    await alert.waitFor();
    assert.equal(await alert.locator("p").first().innerText(), message);
    assert.equal(await w.locator(".re-item").count(), 0);
    await eventually(() => log.errors.some((e) => e.includes("503")), "the browser's reason in the console");
    fail = false;
    await w.getByRole("button", { name: retry }).click();
    await w.locator(".re-item").first().waitFor();
    assert.equal(await w.getByRole("alert").count(), 0, "the message is gone");
    await context.close();
  });
}

for (const reader of READERS) {
  test(`a file of the ${reader.split} reader changed on the server is refused by its sha384, and the reader is told`, async () => {
    const { page, context, log } = await openPage(env);
    await page.route((url) => reader.shared.test(url.pathname), async (route) => {
      const response = await route.fetch();
      const bytes = Buffer.from(await response.body());
      bytes[bytes.length - 1] ^= 1;
      await route.fulfill({ response, body: bytes });
    });
    await page.goto(`${env.url}/embed.html?src=/fixtures/${reader.feed}`);
    const w = widget(page);
    await w.getByRole("alert").waitFor();
    assert.match(await w.getByRole("alert").innerText(), /could not be downloaded/);
    assert.equal(await w.locator(".re-item").count(), 0, "nothing from the changed code ran");
    await eventually(() => log.errors.some((e) => /integrity|digest/i.test(e)), "the integrity failure in the console");
    await context.close();
  });
}

test("the search chunk changed on the server is refused by its sha384: the list stays, search says why, and Try again fetches it anew", async () => {
  const { page, context, log } = await openPage(env);
  let tamper = true;
  await page.route((url) => SEARCH_CHUNK.test(url.pathname), async (route) => {
    const response = await route.fetch();
    const bytes = Buffer.from(await response.body());
    if (tamper) bytes[bytes.length - 1] ^= 1;
    await route.fulfill({ response, body: bytes });
  });
  await page.goto(`${env.url}/embed.html?src=/releases.json`);
  const w = widget(page);
  await w.locator("#re-q-hint", { hasText: "Search could not get ready" }).waitFor();
  assert.ok((await w.locator(".re-item").count()) > 0, "the list is still shown");
  assert.equal(await w.locator("input.re-search").isDisabled(), true, "no search from the changed code");
  await eventually(() => log.errors.some((e) => /integrity|digest/i.test(e)), "the integrity failure in the console");
  tamper = false;
  await w.locator(".re-field-search").getByRole("button", { name: "Try again" }).click();
  await w.locator("input.re-search:not([disabled])").fill("kilmartin");
  await eventually(async () => (await w.locator(".re-item").count()) === 1, "one release matches");
  await context.close();
});

test("under a strict Content Security Policy a chunk loads and runs, and nothing is blocked", async () => {
  const { page, context, log } = await openPage({ ...env, url: strict.url });
  await recordBlocked(page);
  await page.goto(`${strict.url}/`);
  const w = widget(page);
  await w.locator(".re-item-title a").first().click();
  await w.locator(".re-body:not([aria-busy]) p").first().waitFor();
  const bodyChunk = await page.evaluate(
    () => performance.getEntriesByType("resource").filter((e) => /release-embed-split-body\./.test(e.name)).length,
  );
  assert.equal(bodyChunk, 1, "the body chunk came");
  assert.deepEqual(await page.evaluate(() => window.blocked), []);
  assert.deepEqual(log.errors, []);
  await context.close();
});
