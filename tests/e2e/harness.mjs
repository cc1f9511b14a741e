// Shared set-up for the end-to-end tests: Debian's Chromium driven by playwright-core, and the
// project's static server with extra routes that misbehave the way real feed hosts do.
import { readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { startServer, ROOT } from "../../tools/serve.mjs";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const sampleFeed = () => readFile(`${ROOT}/www/releases.json`, "utf8");

const escapeAttr = (s) => String(s).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/** Routes for feeds that fail in each way a reader might meet. */
const routes = {
  "/feeds/500.json": (req, res) => {
    res.writeHead(500, { "content-type": "text/plain" });
    res.end("Internal Server Error");
  },
  "/feeds/slow.json": async (req, res) => {
    await new Promise((done) => setTimeout(done, 3000));
    if (res.destroyed) return;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(await sampleFeed());
  },
  "/feeds/not-json.json": (req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<!doctype html><title>Maintenance</title><p>Back soon</p>");
  },
  "/feeds/truncated.json": async (req, res) => {
    const feed = await sampleFeed();
    res.writeHead(200, { "content-type": "application/json" });
    res.end(feed.slice(0, Math.floor(feed.length / 2)));
  },
  "/feeds/not-a-feed.json": (req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ items: [{ title: "A JSON Feed item" }] }));
  },
  // A native feed that never ends: releases as fast as the reader takes them, until it hangs up.
  // One batch per turn of the event loop: Chromium drains a response as fast as it comes even
  // before anything reads it (the early request, js/early.js), so a loop that wrote while the
  // socket took more kept this process (the test's own server and its Playwright client) busy,
  // and the widget's wasm, served by the same process, took from 5 s to minutes to arrive.
  "/feeds/endless.json": (req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"version": "1", "releases": [');
    let n = 0;
    const release = () => {
      n += 1;
      return JSON.stringify({ id: `e${n}`, title: `Endless release ${n}`, date: "2024-01-02", body: "Text. ".repeat(40) }) + ",";
    };
    const more = () => {
      if (res.destroyed) return;
      if (res.write(Array.from({ length: 50 }, release).join(""))) setImmediate(more);
      else res.once("drain", more);
    };
    more();
  },
  // A page embedding the widget the way an agency site does: script tag plus element. Query
  // parameters become the element's attributes; `script` picks where the script is served from.
  "/embed.html": (req, res, url) => {
    const script = url.searchParams.get("script") || "/dist/release-embed.js";
    const attrs = ["src", "release", "timeout", "id", "heading-level", "section-label", "page-size", "filters", "format", "pages", "share", "lang", "max-bytes",
      "layout", "limit", "more-href", "more-label", "open", "subscribe-href", "subscribe-label", "theme"]
      .filter((a) => url.searchParams.has(a))
      .map((a) => ` ${a}="${escapeAttr(url.searchParams.get(a))}"`)
      .join("");
    const count = Number(url.searchParams.get("count") || 1);
    const elements = Array.from({ length: count }, () => `<release-embed${attrs}></release-embed>`).join("\n");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Embed test</title>
<link rel="icon" href="data:,"><script src="${escapeAttr(script)}" defer></script></head>
<body><main><h1>Agency page</h1>${elements}</main></body></html>`);
  },
};

/**
 * E2E_SOURCE=archive runs the suites on archives instead of feeds: each feed below is served as
 * the manifest of its archive, at the feed's own address (the widget tells them apart by the
 * manifest's "format"), with the archive's pieces beside it in p/. The archives are built once
 * before the run by tests/e2e/build-archives.mjs (`make test-e2e-archive`).
 */
export const ARCHIVE = process.env.E2E_SOURCE === "archive";
/**
 * The archive command the tests run: `make dist`'s build, or the one RELEASE_EMBED names (the
 * Makefile's test targets pass the test profile's, target/debug/release-embed, which
 * `cargo test` builds anyway, instead of building the optimised one too).
 */
export const COMMAND = process.env.RELEASE_EMBED || `${ROOT}/target/release/release-embed`;
export const ARCHIVES = `${ROOT}/target/e2e-archives`;
/** Feed address → the folder of its archive (under ARCHIVES) and the feed file it is built from. */
export const ARCHIVED_FEEDS = { "/releases.json": { dir: "www", feed: "www/releases.json" } };

async function archiveRoutes() {
  const mapped = {};
  const mounts = {};
  for (const [path, { dir }] of Object.entries(ARCHIVED_FEEDS)) {
    const manifest = await readFile(`${ARCHIVES}/${dir}/archive.json`).catch(() => {
      throw new Error(`E2E_SOURCE=archive: ${ARCHIVES}/${dir}/archive.json is missing; run node tests/e2e/build-archives.mjs`);
    });
    const original = await readFile(`${ROOT}/${ARCHIVED_FEEDS[path].feed}`);
    // `?feed` gives the feed the archive was built from, for a page that compares the two.
    mapped[path] = (req, res, url) => {
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-cache" });
      res.end(url.searchParams.has("feed") ? original : manifest);
    };
    mounts[`${path.slice(0, path.lastIndexOf("/") + 1)}p/`] = `target/e2e-archives/${dir}/p`;
  }
  return { mapped, mounts };
}

export async function start() {
  const archived = ARCHIVE ? await archiveRoutes() : { mapped: {}, mounts: {} };
  const server = await startServer({
    mounts: { "/": "www", "/dist/": "dist", "/cdn/v1.2.3/": "dist", "/fixtures/": "tests/fixtures", "/pages/": "tests/e2e/pages", ...archived.mounts },
    routes: { ...routes, ...archived.mapped },
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  return {
    url: server.url,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * A new page that records what a reader's console would show and every request it makes.
 * Requests leaving 127.0.0.1 are refused, and recorded, so a test can assert there were none.
 */
export async function openPage(env, options = {}) {
  const context = await env.browser.newContext({ viewport: { width: 1000, height: 900 }, ...options });
  const page = await context.newPage();
  const log = { errors: [], warnings: [], requests: [], thirdParty: [] };
  page.on("console", (m) => {
    if (m.type() === "error") log.errors.push(m.text());
    if (m.type() === "warning") log.warnings.push(m.text());
  });
  page.on("pageerror", (e) => log.errors.push(`uncaught: ${e.message}`));
  await page.route("**/*", (route) => {
    const url = route.request().url();
    log.requests.push(url);
    if (url.startsWith(env.url) || url.startsWith("data:")) return route.continue();
    log.thirdParty.push(url);
    return route.abort();
  });
  return { page, context, log };
}

/** The widget's shadow root content is reachable with Playwright's normal locators. */
export const widget = (page, nth = 0) => page.locator("release-embed").nth(nth);

/**
 * The open release's body once its text is in: the body part loads on first use, and until then
 * `.re-body` is a busy placeholder saying "Loading the release text…".
 */
export async function releaseBody(w) {
  const body = w.locator(".re-body:not([aria-busy])");
  await body.waitFor();
  return body;
}

/**
 * Waits until `check()` is true, or resolves true (console messages reach the test a moment after
 * the page shows what caused them), failing with `what` after 5 s.
 */
export async function eventually(check, what) {
  for (let i = 0; i < 250; i++) {
    if (await check()) return;
    await new Promise((done) => setTimeout(done, 20));
  }
  throw new Error(`never happened: ${what}`);
}

/** The strict policy a government site may send: no inline script or style, no eval, wasm allowed. */
export const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

/** The demo (www/ and dist/) served with STRICT_CSP on every response; close() it after. */
export const startStrictServer = () =>
  startServer({ mounts: { "/": "www", "/dist/": "dist" }, headers: { "content-security-policy": STRICT_CSP } });

/** Records every CSP violation of `page` in `window.blocked` (read it with page.evaluate). */
export const recordBlocked = (page) =>
  page.addInitScript(() => {
    window.blocked = [];
    document.addEventListener("securitypolicyviolation", (e) => window.blocked.push(`${e.violatedDirective} ${e.blockedURI}`));
  });

/**
 * The pieces the archive in `dir` has the widget fetch ahead once its first list is drawn: each
 * segment's words table root and the pages it lists (a count, then each page's first key and
 * name, as LEB128 lengths and strings).
 */
export function fetchedAhead(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, "archive.json"), "utf8"));
  const names = (bytes) => {
    let at = 0;
    const uint = () => {
      let v = 0;
      for (let shift = 0; ; shift += 7) {
        const b = bytes[at++];
        v += (b & 0x7f) * 2 ** shift;
        if (b < 0x80) return v;
      }
    };
    const str = () => {
      const len = uint();
      at += len;
      return bytes.subarray(at - len, at).toString("utf8");
    };
    return Array.from({ length: uint() }, () => (str(), str()));
  };
  const roots = manifest.segments.map((s) => s.words);
  return { roots, pages: roots.flatMap((root) => names(readFileSync(join(dir, "p", root)))) };
}

/** Keeps requestIdleCallback's callbacks until the test runs them, as a busy browser would. */
export const holdIdleCallbacks = (page) =>
  page.addInitScript(() => {
    window.idle = [];
    window.requestIdleCallback = (run) => window.idle.push(run);
  });
export const runIdleCallbacks = (page) =>
  page.evaluate(() => window.idle.splice(0).forEach((run) => run({ didTimeout: false, timeRemaining: () => 50 })));

/**
 * Holds each request whose path matches `held` until a request whose path matches `awaited` is
 * made (or 5 s pass), and says in `result.before` whether it was: what "fetched beside it, not
 * after it" means (a request made only after the held one is answered would never come).
 */
export async function holdUntilRequested(page, held, awaited) {
  const result = { before: false };
  const requested = new Promise((seen) => page.on("request", (r) => awaited.test(new URL(r.url()).pathname) && seen(true)));
  await page.route((url) => held.test(url.pathname), async (route) => {
    result.before = await Promise.race([requested, new Promise((done) => setTimeout(() => done(false), 5000))]);
    await route.continue();
  });
  return result;
}
