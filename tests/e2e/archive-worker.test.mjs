// The archive part in its dedicated worker: it loads under the strict Content Security Policy
// (script-src 'self', no blob:), fetches and reads the pieces off the page's main thread, fails
// with the usual message and Try again when its script or its wasm cannot be had or were changed,
// keeps pieces in the Cache API rather than localStorage, and draws a view once, when its answer
// is in. A script served from another origin than the page (which may start no worker) reads the
// archive in the page's thread instead. The npm package's worker is tested in vite.test.mjs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../../tools/serve.mjs";
import { start, openPage, widget, recordBlocked, eventually, fetchedAhead, STRICT_CSP, COMMAND } from "./harness.mjs";

const releases = JSON.parse(readFileSync("www/releases.json", "utf8")).releases;
const matching = (word) => releases.filter((r) => new RegExp(word, "i").test([r.title, r.summary, r.body, ...(r.tags || [])].join(" ")));
const WORKER = /\/dist\/release-embed-archive-worker\.[0-9a-f]{12}\.js$/;
const PART = /\/dist\/release-embed-archive\.[0-9a-f]{12}\.wasm$/;

let env;
let strict;
let dir;
const page = (script) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Archive</title>
<script src="${script}" defer></script></head>
<body><main><h1>News</h1><release-embed src="/a/archive.json" page-size="5"></release-embed></main></body></html>`;

before(async () => {
  env = await start();
  dir = mkdtempSync(join(tmpdir(), "release-embed-worker-"));
  execFileSync(COMMAND, ["archive", "www/releases.json", "--out", dir, "--include-future"]);
  // Every response under the strict policy, the page included.
  strict = await startServer({
    mounts: { "/": "www", "/dist/": "dist", "/a/": dir },
    headers: { "content-security-policy": STRICT_CSP },
    routes: {
      "/archive.html": (req, res) => {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-security-policy": STRICT_CSP });
        res.end(page("/dist/release-embed.js"));
      },
    },
  });
});
after(async () => {
  await strict?.close();
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The resources the page's own thread fetched (a worker's fetches are in its own timeline). */
const mainThreadFetched = (p) => p.evaluate(() => performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname));

test("under the strict CSP the archive part answers from its worker: nothing blocked, no piece read in the page's thread", async () => {
  const { page: p, context, log } = await openPage({ ...env, url: strict.url });
  await recordBlocked(p);
  await p.goto(`${strict.url}/archive.html`);
  const w = widget(p);
  await w.locator(".re-item-title").first().waitFor();
  await w.locator("input.re-search:not([disabled])").fill("immigration");
  await w.locator(".re-count", { hasText: `${matching("immigration").length} release` }).waitFor();
  await w.getByRole("link", { name: matching("immigration")[0].title }).click();
  await w.locator("h2.re-title").waitFor();
  await w.locator(".re-related a, .re-body p").first().waitFor();

  assert.ok(p.workers().some((worker) => WORKER.test(new URL(worker.url()).pathname)), `the worker runs: ${p.workers().map((x) => x.url())}`);
  const fetched = await mainThreadFetched(p);
  assert.deepEqual(fetched.filter((path) => path.startsWith("/a/p/") || PART.test(path)), [], `the page's thread fetched: ${fetched.join(" ")}`);
  assert.ok(fetched.some((path) => WORKER.test(path)), "the script checked the worker's file against its sha384 before starting it");
  assert.deepEqual(await p.evaluate(() => window.blocked), []);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("pieces are kept in the Cache API, not in localStorage", async () => {
  const { page: p, context } = await openPage({ ...env, url: strict.url });
  await p.goto(`${strict.url}/archive.html`);
  const w = widget(p);
  await w.locator(".re-item-title").first().waitFor();
  await w.locator("input.re-search:not([disabled])").fill("fraud");
  await w.locator(".re-count", { hasText: `${matching("fraud").length} release` }).waitFor();
  const kept = async () =>
    p.evaluate(async () => (await (await caches.open("release-embed-pieces")).keys()).map((r) => new URL(r.url).pathname));
  let pieces = [];
  for (let i = 0; i < 50 && !pieces.some((path) => path.endsWith(".bin")); i++) {
    pieces = await kept();
    await new Promise((done) => setTimeout(done, 100));
  }
  assert.ok(pieces.some((path) => path.startsWith("/a/p/") && path.endsWith(".json")), `cards kept: ${pieces}`);
  assert.ok(pieces.some((path) => path.startsWith("/a/p/") && path.endsWith(".bin")), `word pieces kept: ${pieces}`);
  const stored = await p.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("release-embed:piece")));
  assert.deepEqual(stored, []);
  await context.close();
});

/**
 * A page whose request for `pattern` is answered by `answer(route)` while `failing()`, and served
 * as usual after: what the reader sees, then Try again.
 */
async function failsThenRecovers(pattern, answer, expected) {
  const { page: p, context, log } = await openPage({ ...env, url: strict.url });
  let failing = true;
  await p.route((url) => pattern.test(url.pathname), async (route) => (failing ? answer(route) : route.continue()));
  await p.goto(`${strict.url}/archive.html`);
  const w = widget(p);
  const error = w.locator(".re-error");
  await error.waitFor();
  assert.equal(await error.locator("p").first().innerText(), expected);
  await eventually(() => log.errors.some((e) => e.includes("the archive part")), "the console says the archive part failed");
  failing = false;
  await w.getByRole("button", { name: "Try again" }).click();
  await w.locator(".re-item-title").first().waitFor();
  await w.locator("input.re-search:not([disabled])").fill("immigration");
  await w.locator(".re-count", { hasText: `${matching("immigration").length} release` }).waitFor();
  await context.close();
}

const NETWORK = "Releases could not be loaded: the network request failed. Check your connection and try again.";

test("the worker's script not found: the usual message, and Try again starts it", async () => {
  await failsThenRecovers(WORKER, (route) => route.fulfill({ status: 404, body: "Not found" }), NETWORK);
});

test("the worker's script changed (its sha384 differs): refused before it runs, with Try again", async () => {
  await failsThenRecovers(WORKER, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace("release-embed", "release-embad");
    return route.fulfill({ response, body });
  }, NETWORK);
});

test("the archive part's wasm not found, or changed, in the worker: the usual message, and Try again", async () => {
  await failsThenRecovers(PART, (route) => route.fulfill({ status: 404, body: "Not found" }), NETWORK);
  await failsThenRecovers(PART, async (route) => {
    const response = await route.fetch();
    const body = Buffer.from(await response.body());
    body[body.length - 1] ^= 0xff;
    return route.fulfill({ response, body });
  }, NETWORK);
});

test("while a search's pieces are on their way the results stay as they are; they change once, with the count's number", async () => {
  const { page: p, context } = await openPage({ ...env, url: strict.url });
  // Every word piece takes a while: the search's three rounds (root, page, chunk) take over a second.
  await p.route((url) => url.pathname.startsWith("/a/p/") && url.pathname.endsWith(".bin"), async (route) => {
    await new Promise((done) => setTimeout(done, 400));
    await route.continue();
  });
  await p.goto(`${strict.url}/archive.html`);
  const w = widget(p);
  await w.locator(".re-item-title").first().waitFor();
  await p.evaluate(() => {
    const host = document.querySelector("release-embed");
    const root = host.shadowRoot;
    Object.assign(window, { results: 0, counts: [], busy: [] });
    // The list and its pages (the count, inside the results, is watched on its own).
    new MutationObserver((records) => {
      if (records.some((r) => !r.target.closest?.(".re-count") && !r.target.parentElement?.closest(".re-count"))) window.results += 1;
    }).observe(root.querySelector(".re-results"), { childList: true, subtree: true, characterData: true, attributes: true });
    new MutationObserver(() => window.counts.push(root.querySelector(".re-count").textContent)).observe(root.querySelector(".re-count"), { childList: true, subtree: true, characterData: true });
    new MutationObserver(() => window.busy.push(host.getAttribute("aria-busy"))).observe(host, { attributeFilter: ["aria-busy"] });
  });
  await w.locator("input.re-search:not([disabled])").fill("immigration");
  const expected = `${matching("immigration").length} release`;
  await w.locator(".re-count", { hasText: expected }).waitFor();
  await p.waitForFunction(() => !document.querySelector("release-embed").hasAttribute("aria-busy"));
  const seen = await p.evaluate(() => ({ results: window.results, counts: window.counts, busy: window.busy }));
  assert.equal(seen.results, 1, "the results changed once, when the answer was in");
  // The count never shows the earlier view's number for the new one: it says it is loading, then
  // shows the answer's, once.
  assert.equal(seen.counts.length, 2, JSON.stringify(seen.counts));
  assert.match(seen.counts[0], /^Loading/);
  assert.match(seen.counts[1], new RegExp(expected));
  assert.deepEqual(seen.busy, ["true", null], "the widget was busy while the pieces came");
  await context.close();
});

test("a script from another origin than the page reads the archive in the page's thread", async () => {
  const { page: p, context, log } = await openPage(env);
  // 127.0.0.1 and localhost are two origins: the page on one, the script on the other.
  const other = env.url.replace("127.0.0.1", "localhost");
  // The script's origin answers with CORS, as a CDN does (the wasm is fetched with its sha384).
  await p.route((url) => url.hostname === "localhost", async (route) => {
    const response = await route.fetch();
    return route.fulfill({ response, headers: { ...response.headers(), "access-control-allow-origin": "*" } });
  });
  await p.route((url) => url.pathname === "/cross.html", (route) =>
    route.fulfill({ contentType: "text/html", body: page(`${other}/dist/release-embed.js`) }));
  await p.route((url) => url.pathname.startsWith("/a/"), (route) =>
    route.fulfill({ path: join(dir, new URL(route.request().url()).pathname.slice(3)) }));
  await p.goto(`${env.url}/cross.html`);
  const w = widget(p);
  await w.locator(".re-item-title").first().waitFor();
  await w.locator("input.re-search:not([disabled])").fill("immigration");
  await w.locator(".re-count", { hasText: `${matching("immigration").length} release` }).waitFor();
  assert.equal(p.workers().length, 0, "no worker");
  assert.ok((await mainThreadFetched(p)).some((path) => path.startsWith("/a/p/")), "the pieces were fetched here");
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("dist/ ships the worker under a hashed name, and the script names it with its sha384", () => {
  const files = readdirSync("dist").filter((f) => /^release-embed-archive-worker\.[0-9a-f]{12}\.js$/.test(f));
  assert.equal(files.length, 1, `one worker script: ${files}`);
  const script = readFileSync("dist/release-embed.js", "utf8");
  const integrity = `sha384-${createHash("sha384").update(readFileSync(`dist/${files[0]}`)).digest("base64")}`;
  assert.ok(script.includes(files[0]) && script.includes(integrity), "the script names it with its sha384");
  assert.ok(readdirSync("dist/npm").includes("release-embed-archive-worker.js"), "the npm package ships it");
});

test("the worker stopping after it started: the view it was answering fails with the usual message, and Try again starts a new one (again if the first restart cannot fetch its script)", async () => {
  const { page: p, context, log } = await openPage({ ...env, url: strict.url });
  const workers = [];
  p.on("worker", (worker) => workers.push(worker));
  // The search's word pieces are held until the worker has stopped.
  let release;
  const held = new Promise((done) => (release = done));
  let searching = false;
  await p.route((url) => url.pathname.startsWith("/a/p/") && url.pathname.endsWith(".bin"), async (route) => {
    if (searching) await held;
    await route.continue().catch(() => {});
  });
  await p.goto(`${strict.url}/archive.html`);
  const w = widget(p);
  await w.locator(".re-item-title").first().waitFor();
  assert.equal(workers.length, 1);
  searching = true;
  await w.locator("input.re-search:not([disabled])").fill("immigration");
  await w.locator(".re-count", { hasText: "Loading" }).waitFor();
  // An error nothing catches, in the worker: it is ended, and the view it was answering fails.
  const ended = new Promise((done) => workers[0].once("close", done));
  await workers[0].evaluate(() => setTimeout(() => {
    throw new Error("the worker broke");
  }));
  const gone = await Promise.race([ended.then(() => true), new Promise((done) => setTimeout(() => done(false), 10000))]);
  assert.ok(gone, "the stopped worker was ended");
  const error = w.locator(".re-error");
  await error.waitFor();
  assert.equal(await error.locator("p").first().innerText(), NETWORK);
  await eventually(() => log.errors.some((e) => e.includes("the worker broke")), "the console says why");
  assert.equal(workers.length, 1, "nothing started another before Try again");
  searching = false;
  release();
  // The new worker's script cannot be had at the first Try again: the same message, no worker.
  let scriptMissing = true;
  let refused = 0;
  await p.route((url) => WORKER.test(url.pathname), (route) => {
    if (!scriptMissing) return route.continue();
    refused += 1;
    return route.fulfill({ status: 404, body: "Not found" });
  });
  await w.getByRole("button", { name: "Try again" }).click();
  await eventually(() => refused === 1, "the restart asked for the worker's script");
  await w.locator(".re-error").waitFor();
  assert.equal(await w.locator(".re-error p").first().innerText(), NETWORK);
  assert.equal(workers.length, 1, "no worker started from a missing script");
  scriptMissing = false;
  await w.getByRole("button", { name: "Try again" }).click();
  await w.locator(".re-count", { hasText: `${matching("immigration").length} release` }).waitFor();
  assert.equal(workers.length, 2, "Try again started a new worker");
  assert.deepEqual(p.workers().map((x) => x.url()), [workers[1].url()], "only the new one runs");
  // It goes on answering: another search, a release.
  await w.locator("input.re-search").fill("fraud");
  await w.locator(".re-count", { hasText: `${matching("fraud").length} release` }).waitFor();
  await w.getByRole("link", { name: matching("fraud")[0].title }).click();
  await w.locator("h2.re-title").waitFor();
  await context.close();
});

test("the words tables' roots and pages are fetched when the page is idle after the first list, never before it", async () => {
  const { roots, pages } = fetchedAhead(dir);
  assert.ok(pages.length >= roots.length, `${roots.length} roots, ${pages.length} pages`);
  const ahead = new Set([...roots, ...pages]);
  const { page: p, context } = await openPage({ ...env, url: strict.url });
  const asked = [];
  let release;
  const cardsHeld = new Promise((done) => (release = done));
  // The first list's card lists and cards (JSON pieces) are held: the list cannot be drawn.
  await p.route((url) => url.pathname.startsWith("/a/p/"), async (route) => {
    const name = new URL(route.request().url()).pathname.slice("/a/p/".length);
    asked.push(name);
    if (name.endsWith(".json")) await cardsHeld;
    await route.continue();
  });
  await p.goto(`${strict.url}/archive.html`);
  const w = widget(p);
  await eventually(() => asked.some((n) => n.endsWith(".json")), "the first list asks for its cards");
  await new Promise((done) => setTimeout(done, 1500));
  assert.deepEqual(asked.filter((n) => ahead.has(n)), [], "nothing fetched ahead before the first list");
  release();
  await w.locator(".re-item-title").first().waitFor();
  await eventually(() => [...ahead].every((n) => asked.includes(n)), "every root and page fetched after the first list");
  assert.equal(asked.filter((n) => ahead.has(n)).length, ahead.size, "each once");
  // A first search now reads only its chunks (and cards): no root or page again.
  const before = asked.length;
  await w.locator("input.re-search:not([disabled])").fill("immigration");
  await w.locator(".re-count", { hasText: `${matching("immigration").length} release` }).waitFor();
  const search = asked.slice(before);
  assert.ok(search.length > 0 && search.every((n) => !ahead.has(n)), `the search asked for ${search}`);
  await context.close();
});
