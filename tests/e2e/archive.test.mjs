// The widget on an archive (`src` names the archive.json that `release-embed archive` writes):
// what each view fetches, pieces reused, and the failures a reader can meet (a missing or damaged
// piece, a manifest from a newer version, the network going away mid-session), plus the
// fallback.html the command writes, with JavaScript off and on. The reader's features on archives
// are the other suites run with E2E_SOURCE=archive (make test-e2e-archive).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { start, openPage, widget, eventually, fetchedAhead, COMMAND } from "./harness.mjs";

const releases = JSON.parse(readFileSync("www/releases.json", "utf8")).releases;
const newestFirst = [...releases].sort((a, b) => Date.parse(b.date) - Date.parse(a.date));
const SEED = releases.find((r) => r.id === "ag-kilmartin-immigration-2018");

let env;
let dir;
before(async () => {
  env = await start();
  dir = mkdtempSync(join(tmpdir(), "release-embed-archive-"));
  execFileSync(COMMAND, ["archive", "www/releases.json", "--out", dir, "--include-future"]);
});
after(async () => {
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * A page whose /a/ serves the archive (through `serve`, which may fail a request on purpose),
 * recording each piece fetched.
 */
async function archivePage({ serve = (route, file) => route.fulfill({ path: file }), options = {}, from = dir } = {}) {
  const session = await openPage(env, options);
  const pieces = [];
  await session.page.route((url) => url.pathname.startsWith("/a/"), (route) => {
    const path = new URL(route.request().url()).pathname.slice("/a/".length);
    if (path.startsWith("p/")) pieces.push(path.slice(2));
    // The feed's relative image addresses resolve against the manifest's: its images are beside it.
    const file = path.startsWith("images/") ? join("www", path) : join(from, path);
    return serve(route, file, path);
  });
  return { ...session, pieces };
}

const embed = (query = "") => `${env.url}/embed.html?src=/a/archive.json${query}`;

/** The list view's code for archives: the archive chunk's own file, and every file it needs. */
const SPLITS = JSON.parse(readFileSync("pkg/chunk-splits.json", "utf8"));
const ARCHIVE_CHUNK = /\/release-embed-split-archive\.[0-9a-f]{12}\.wasm$/;
const ARCHIVE_FILES = new RegExp(`/release-embed-(${SPLITS.archive.map((s) => s.replaceAll("_", "-")).join("|")})\\.[0-9a-f]{12}\\.wasm$`);
const titles = (w) => w.locator(".re-item-title").allInnerTexts();

test("an archive's first list needs the manifest and the first page's cards; a search its word pieces; a release its body", async () => {
  const { page, context, log, pieces } = await archivePage();
  await page.goto(embed("&page-size=5"));
  const w = widget(page);
  await w.locator("input.re-search:not([disabled])").waitFor();
  await w.locator(".re-item-title").first().waitFor();
  assert.deepEqual(await titles(w), newestFirst.slice(0, 5).map((r) => r.title));
  assert.equal(await w.locator(".re-count").innerText(), `${releases.length} releases`);
  // Besides what is fetched ahead once the list is drawn (archive-worker.test.mjs), cards only.
  const { roots, pages } = fetchedAhead(dir);
  const ahead = new Set([...roots, ...pages]);
  const viewed = () => pieces.filter((p) => !ahead.has(p));
  assert.ok(viewed().length > 0 && viewed().every((p) => p.endsWith(".json")), `cards only: ${pieces}`);

  const before = viewed().length;
  await w.locator("input.re-search").fill("immigration");
  await w.locator(".re-count", { hasText: /^\d+ releases?$/ }).filter({ hasNotText: `${releases.length} releases` }).waitFor();
  const searched = viewed().slice(before);
  assert.ok(searched.some((p) => p.endsWith(".bin")), `word pieces: ${searched}`);

  const afterSearch = viewed().length;
  await w.getByRole("link", { name: SEED.title }).click();
  await w.locator("h2.re-title", { hasText: SEED.title }).waitFor();
  await w.locator(".re-related a").first().waitFor();
  assert.equal(viewed().length - afterSearch, 1, `one body piece: ${viewed().slice(afterSearch)}`);
  const ld = JSON.parse(await page.locator("release-embed > script[type='application/ld+json']").textContent());
  assert.equal(ld.headline, SEED.title);

  // Back to the search: every piece it needs is here already.
  const opened = viewed().length;
  await page.goBack();
  await w.getByRole("link", { name: SEED.title }).waitFor();
  assert.equal(viewed().length, opened, `nothing fetched again: ${viewed().slice(opened)}`);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("the list view's archive chunk is fetched beside the manifest, not after it, and once", async () => {
  let requested;
  const chunkRequested = new Promise((done) => (requested = done));
  let before = false;
  const { page, context, log } = await archivePage({
    serve: async (route, file, path) => {
      if (path === "archive.json") before = await Promise.race([chunkRequested, new Promise((done) => setTimeout(() => done(false), 5000))]);
      return route.fulfill({ path: file });
    },
  });
  page.on("request", (r) => ARCHIVE_CHUNK.test(new URL(r.url()).pathname) && requested(true));
  await page.goto(embed());
  await widget(page).locator("input.re-search:not([disabled])").waitFor();
  assert.ok(before, "the archive chunk was requested while the manifest was on its way");
  assert.equal(log.requests.filter((u) => ARCHIVE_CHUNK.test(new URL(u).pathname)).length, 1, "fetched once");
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("the archive chunk cannot be fetched: the message and Try again, which shows the list once it can", async () => {
  const { page, context, log } = await archivePage();
  let fail = true;
  await page.route((url) => ARCHIVE_FILES.test(url.pathname), (route) =>
    fail ? route.fulfill({ status: 503, body: "busy" }) : route.continue(),
  );
  await page.goto(embed());
  const w = widget(page);
  const alert = w.getByRole("alert");
  await alert.waitFor();
  assert.equal(
    await alert.locator("p").first().innerText(),
    "Releases could not be loaded: part of this page's news widget could not be downloaded. Check your connection and try again.",
  );
  await eventually(() => log.errors.some((e) => e.includes("503")), "the browser's reason in the console");
  fail = false;
  await w.getByRole("button", { name: "Try again" }).click();
  await w.locator("input.re-search:not([disabled])").waitFor();
  assert.deepEqual(await titles(w), newestFirst.slice(0, (await titles(w)).length).map((r) => r.title));
  assert.equal(await w.getByRole("alert").count(), 0, "the message is gone");
  await context.close();
});

test("the archive chunk changed on the server is refused by its sha384, and the reader is told", async () => {
  const { page, context, log } = await archivePage();
  await page.route((url) => ARCHIVE_CHUNK.test(url.pathname), async (route) => {
    const response = await route.fetch();
    const bytes = Buffer.from(await response.body());
    bytes[bytes.length - 1] ^= 1;
    await route.fulfill({ response, body: bytes });
  });
  await page.goto(embed());
  const w = widget(page);
  await w.getByRole("alert").waitFor();
  assert.match(await w.getByRole("alert").innerText(), /could not be downloaded/);
  await eventually(() => log.errors.some((e) => /integrity|digest/i.test(e)), "the integrity failure in the console");
  await context.close();
});

test("a deep link to a release of an archive opens it, fetching its id table entry, card and body", async () => {
  const { page, context, log, pieces } = await archivePage();
  await page.goto(embed(`&release=${SEED.id}`));
  const w = widget(page);
  await w.locator("h2.re-title", { hasText: SEED.title }).waitFor();
  await w.getByRole("heading", { name: "Share this" }).waitFor();
  const oldest = newestFirst.at(-1);
  pieces.length = 0;
  await page.goto(embed(`&release=${oldest.id}`));
  await w.locator("h2.re-title", { hasText: oldest.title }).waitFor();
  // The id table (root, page, chunk of the one segment), then the release's card list, card
  // piece and body: no card piece newer than it.
  assert.deepEqual(pieces.map((p) => p.split(".").pop()).sort(), ["bin", "bin", "bin", "json", "json", "json"], `${pieces}`);
  await page.goto(embed("&release=no-such-release"));
  await w.locator(".re-notice", { hasText: "no-such-release" }).waitFor();
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("an archive rebuilt after a release was removed and an older one added lists them in date order", async () => {
  // 1,100 releases (a full segment of 1,024 and a tail), a day apart; then the second oldest
  // removed and one added between the third and fourth oldest, built into the same folder: the
  // removed one leaves a hole in the full segment, the added one takes an ordinal in the tail.
  const rebuilt = mkdtempSync(join(tmpdir(), "release-embed-rebuilt-"));
  try {
    const day = 86_400_000;
    const many = Array.from({ length: 1100 }, (_, i) => ({
      ...releases[i % releases.length], id: `r${i}`, title: `Release number ${i}`,
      date: new Date(Date.UTC(2020, 0, 1) + i * day).toISOString(),
    }));
    const write = (name, list) => {
      const file = join(rebuilt, name);
      writeFileSync(file, JSON.stringify({ version: "1", releases: list }));
      execFileSync(COMMAND, ["archive", file, "--out", join(rebuilt, "out")]);
    };
    write("first.json", many);
    const added = { ...many[3], id: "added-later", title: "Added after newer ones", date: new Date(Date.UTC(2020, 0, 1) + 2.5 * day).toISOString() };
    const changed = [...many.filter((r) => r.id !== "r1"), added];
    write("second.json", changed);
    const manifest = JSON.parse(readFileSync(join(rebuilt, "out", "archive.json"), "utf8"));
    assert.ok(manifest.requires.includes("stable-ordinals"), JSON.stringify(manifest.requires));
    assert.deepEqual([manifest.late.length, manifest.segments[0].holes], [1, [1]]);

    const { page, context, log } = await archivePage({ from: join(rebuilt, "out") });
    await page.goto(embed());
    const w = widget(page);
    // The widget's own list (not the early first page, whose controls wait for it).
    await w.locator(".re-root:not([data-re-preview]) .re-item-title", { hasText: "Release number 1099" }).waitFor();
    await w.locator("select[name=sort]:not([disabled])").selectOption("oldest");
    const oldest = ["Release number 0", "Release number 2", "Added after newer ones", "Release number 3", "Release number 4"];
    await eventually(async () => (await titles(w))[0] === oldest[0], "oldest first");
    assert.deepEqual((await titles(w)).slice(0, 5), oldest);
    await page.goto(embed("&release=added-later"));
    await w.locator("h2.re-title", { hasText: added.title }).waitFor();
    assert.deepEqual(log.errors, []);
    await context.close();
  } finally {
    rmSync(rebuilt, { recursive: true, force: true });
  }
});

test("a missing piece (404) shows the usual message with Try again, keeping the list; Try again fetches it", async () => {
  let failing = true;
  const { page, context, log } = await archivePage({
    serve: (route, file, path) =>
      failing && path.endsWith(".bin") ? route.fulfill({ status: 404, body: "Not found" }) : route.fulfill({ path: file }),
  });
  await page.goto(embed());
  const w = widget(page);
  await w.locator(".re-item-title").first().waitFor();
  const shown = await titles(w);
  await w.locator("input.re-search").fill("immigration");
  const error = w.locator(".re-error");
  await error.waitFor();
  assert.equal(await error.locator("p").first().innerText(), "Releases could not be loaded: the server answered 404 Not Found.");
  assert.equal(await error.getAttribute("role"), "alert");
  assert.deepEqual(await titles(w), shown, "what was shown stays");
  assert.equal(await w.locator("input.re-search").inputValue(), "immigration", "the search box keeps the text");
  await eventually(() => log.errors.some((e) => e.includes("404")), "the console names the piece");

  failing = false;
  await w.getByRole("button", { name: "Try again" }).click();
  await error.waitFor({ state: "detached" });
  const expected = newestFirst.filter((r) => /immigration/i.test([r.title, r.summary, r.body, ...(r.tags || [])].join(" ")));
  await w.locator(".re-count", { hasText: `${expected.length} release` }).waitFor();
  await context.close();
});

test("a damaged piece says so with Try again; the list stays", async () => {
  const { page, context, log } = await archivePage({
    serve: (route, file, path) =>
      path.endsWith(".bin") ? route.fulfill({ body: Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) }) : route.fulfill({ path: file }),
  });
  await page.goto(embed());
  const w = widget(page);
  await w.locator(".re-item-title").first().waitFor();
  await w.locator("input.re-search").fill("fraud");
  const error = w.locator(".re-error");
  await error.waitFor();
  // An archive's fault, not the feed's: its own message (issue 17), the details in the console.
  assert.equal(
    await error.locator("p").first().innerText(),
    "Releases could not be loaded: part of the release archive is missing or damaged. Try again later.",
  );
  await w.getByRole("button", { name: "Try again" }).waitFor();
  assert.ok((await w.locator(".re-item-title").count()) > 0, "the list stays");
  await eventually(
    () => log.errors.some((e) => /the archive is damaged or incomplete: piece .*\.bin: damaged piece/.test(e)),
    "the console says which piece",
  );
  await context.close();
});

test("a body piece naming a reference beyond HTML 4's fetches the whole list first, and the release shows each character", async () => {
  // The command writes each character as itself; an archive written by another tool may name it.
  const named = mkdtempSync(join(tmpdir(), "release-embed-archive-"));
  execFileSync(COMMAND, ["archive", "tests/fixtures/uncommon-references.json", "--out", named, "--include-future"]);
  const { page, context, log } = await archivePage({
    from: named,
    serve: (route, file, path) => {
      const text = path.startsWith("p/") && path.endsWith(".json") ? readFileSync(file, "utf8") : "";
      if (!text.includes('"html"')) return route.fulfill({ path: file });
      return route.fulfill({ contentType: "application/json", body: text.replaceAll("\u2605", "&bigstar;").replaceAll("\\u2605", "&bigstar;") });
    },
  });
  await page.goto(embed("&release=stars"));
  const w = widget(page);
  const first = w.locator(".re-body:not([aria-busy]) p").first();
  await first.waitFor();
  assert.equal(await first.innerText(), "Parks rated \u2605\u2605\u2605 or better, from Caf\u00e9 Hill to the \u2124-shaped trail.");
  assert.ok(log.requests.some((u) => /\/release-embed-split-entities\.[0-9a-f]{12}\.wasm$/.test(u)), "the whole list's chunk");
  assert.deepEqual(log.errors, []);
  await context.close();
  rmSync(named, { recursive: true, force: true });
});

test("an archive written by a newer major version says to update release-embed", async () => {
  const { page, context } = await archivePage({
    serve: (route, file, path) => {
      if (path !== "archive.json") return route.fulfill({ path: file });
      const manifest = JSON.parse(readFileSync(file, "utf8"));
      return route.fulfill({ contentType: "application/json", body: JSON.stringify({ ...manifest, version: "2.0" }) });
    },
  });
  await page.goto(embed());
  const error = widget(page).locator(".re-error p").first();
  await error.waitFor();
  assert.equal(
    await error.innerText(),
    "Releases could not be loaded: this archive was written in format version 2.0, newer than this reader (version 1.x): update release-embed.",
  );
  await context.close();
});

test("the network failing mid-session keeps what is shown, with Try again; offline, what was seen is kept", async () => {
  let offline = false;
  const { page, context } = await archivePage({
    serve: (route, file) => (offline ? route.abort("internetdisconnected") : route.fulfill({ path: file })),
  });
  await page.goto(embed(`&page-size=5`));
  const w = widget(page);
  await w.locator(".re-item-title").first().waitFor();
  await w.getByRole("link", { name: newestFirst[0].title }).click();
  await w.locator("h2.re-title").waitFor();
  await page.goBack();
  await w.locator(".re-item-title").first().waitFor();
  const shown = await titles(w);

  offline = true;
  await w.locator("[data-re-page='2']").first().click();
  const error = w.locator(".re-error");
  await error.waitFor();
  assert.match(await error.innerText(), /the network request failed/);
  assert.deepEqual(await titles(w), shown, "the page shown stays");
  offline = false;
  await w.getByRole("button", { name: "Try again" }).click();
  await error.waitFor({ state: "detached" });
  await w.getByRole("link", { name: newestFirst[5].title }).waitFor();

  // A later visit with no network: the manifest and the pieces seen are kept.
  offline = true;
  await page.goto(embed(`&page-size=5`));
  await w.locator(".re-item-title").first().waitFor();
  assert.deepEqual(await titles(w), shown);
  await w.locator(".re-warning, .re-notice", { hasText: /saved|kept/i }).first().waitFor();
  await w.getByRole("link", { name: newestFirst[0].title }).click();
  await w.locator("h2.re-title", { hasText: newestFirst[0].title }).waitFor();
  await context.close();
});

/** A page with the command's fallback.html pasted inside the element, as the README says. */
function fallbackRoute(page) {
  const fallback = readFileSync(join(dir, "fallback.html"), "utf8");
  return page.route((url) => url.pathname === "/fallback.html", (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>News</title><link rel="icon" href="data:,">
<script src="/dist/release-embed.js" defer></script></head><body><main><h1>News</h1>
<release-embed src="/a/archive.json">${fallback}</release-embed></main></body></html>`,
    }),
  );
}

test("without JavaScript, the fallback's links show inside <release-embed>; with it, the widget replaces them", async () => {
  const noScript = await archivePage({ options: { javaScriptEnabled: false } });
  await fallbackRoute(noScript.page);
  await noScript.page.goto(`${env.url}/fallback.html`);
  const latest = noScript.page.getByRole("link", { name: newestFirst[0].title });
  await latest.waitFor();
  assert.ok(await latest.isVisible());
  assert.equal(await latest.getAttribute("href"), newestFirst[0].url);
  assert.equal(await noScript.page.locator("release-embed li").count(), 20, "the latest 20 releases");
  await noScript.context.close();

  const withScript = await archivePage();
  await fallbackRoute(withScript.page);
  await withScript.page.goto(`${env.url}/fallback.html`);
  const w = widget(withScript.page);
  await w.locator(".re-item-title").first().waitFor();
  assert.equal(await withScript.page.locator("release-embed > ul.re-fallback").isVisible(), false, "the fallback is hidden");
  assert.equal(await w.getByRole("link", { name: newestFirst[0].title }).count(), 1, "each release once: the widget's");
  await withScript.context.close();
});

test("a page that wraps console.error and calls the widget back from it does not break the widget", async () => {
  // Error trackers wrap console.error; this one changes the widget from inside it, as a page's
  // handler may. The widget must hold no borrow while it logs (issue 17): the call re-enters it.
  let failing = true;
  const { page, context, log } = await archivePage({
    serve: (route, file, path) =>
      failing && path.endsWith(".bin") ? route.fulfill({ status: 404, body: "Not found" }) : route.fulfill({ path: file }),
  });
  await page.addInitScript(() => {
    const original = console.error;
    window.reentered = [];
    console.error = (...args) => {
      original.apply(console, args);
      const el = document.querySelector("release-embed");
      if (el && String(args[0]).startsWith("release-embed:") && window.reentered.length < 3) {
        window.reentered.push(String(args[0]));
        el.setAttribute("page-size", String(4 + window.reentered.length));
      }
    };
  });
  await page.goto(embed());
  const w = widget(page);
  await w.locator(".re-item-title").first().waitFor();
  await w.locator("input.re-search").fill("immigration");
  const error = w.locator(".re-error");
  await error.waitFor();
  assert.equal(await error.locator("p").first().innerText(), "Releases could not be loaded: the server answered 404 Not Found.");
  const reentered = await page.evaluate(() => window.reentered);
  assert.ok(reentered.some((m) => m.includes("404")), `the wrapper ran on the piece's failure: ${reentered}`);
  assert.deepEqual(log.errors.filter((m) => m.startsWith("uncaught")), [], "no trap, no uncaught error");
  // The widget still answers: Try again fetches the piece and shows the search's results.
  failing = false;
  await w.getByRole("button", { name: "Try again" }).click();
  await error.waitFor({ state: "detached" });
  await w.locator(".re-item-title").first().waitFor();
  await context.close();
});
