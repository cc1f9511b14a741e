// The code the list view loads later: the body chunk (release-embed-split-body.<hash>.wasm, which
// shares the list view's memory) and each feed reader but the native one. The list does without
// the body chunk until the browser is idle, a release opened before it arrives shows its body when
// it does, a chunk that cannot be loaded (or was changed on the server) says so with Try again and
// leaves the list working, and a page that opens on a release fetches it at once, beside the
// list's wasm.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { eventually, start, openPage, widget, holdIdleCallbacks, runIdleCallbacks, holdUntilRequested } from "./harness.mjs";

const BODY_PART = /\/release-embed-split-body\.[0-9a-f]{12}\.wasm$/;
const isBodyPart = (url) => BODY_PART.test(url.pathname ?? new URL(url).pathname);
const SEED = "ag-kilmartin-immigration-2018";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

/** Holds the body part's response until the returned function is called. */
async function holdBodyPart(page) {
  let release;
  const held = new Promise((done) => (release = done));
  await page.route(isBodyPart, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

test("the list fetches no lazily loaded part until the browser is idle; then it does, and a release opens at once", async () => {
  const { page, context, log } = await openPage(env);
  await holdIdleCallbacks(page);
  await page.goto(`${env.url}/embed.html?src=/releases.json`);
  const w = widget(page);
  await w.locator(".re-item").first().waitFor();
  await w.locator("input.re-search:not([disabled])").fill("kilmartin");
  await w.locator(".re-count", { hasText: "1 release" }).waitFor();
  await page.waitForTimeout(300);
  assert.deepEqual(log.requests.filter((u) => isBodyPart(new URL(u))), [], "no part before the browser is idle");
  assert.ok(await page.evaluate(() => window.idle.length) >= 1, "a prefetch waits for an idle moment");

  const fetched = page.waitForResponse((response) => isBodyPart(new URL(response.url())));
  await runIdleCallbacks(page);
  await (await fetched).finished();
  await page.waitForTimeout(200); // compiling it
  await w.locator(".re-item-title a").first().click();
  await w.locator(".re-body p").first().waitFor();
  assert.equal(await w.locator("[data-re-part], [aria-busy]").count(), 0, "no loading state once the part is there");
  assert.equal(log.requests.filter((u) => isBodyPart(new URL(u))).length, 1, "fetched once");
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("a release opened before its part arrives says it is loading, then shows its body in place", async () => {
  const { page, context, log } = await openPage(env);
  await holdIdleCallbacks(page);
  const release = await holdBodyPart(page);
  await page.goto(`${env.url}/embed.html?src=/releases.json&page-size=100`);
  const w = widget(page);
  await w.locator(`.re-item-title a[data-re-open="${SEED}"]`).click();
  await w.locator("#re-title").waitFor();
  const body = w.locator(".re-body");
  assert.equal(await body.getAttribute("aria-busy"), "true", "the body is busy while its part loads");
  assert.equal(await body.getByRole("status").innerText(), "Loading the release text\u2026");
  assert.equal(await w.locator(".re-share").count(), 1, "the rest of the release is there already");
  const focused = () => page.evaluate(() => document.querySelector("release-embed").shadowRoot.activeElement?.id);
  assert.equal(await focused(), "re-title");

  release();
  await w.locator(".re-body p", { hasText: "Kilmartin" }).first().waitFor();
  assert.equal(await body.getAttribute("aria-busy"), null);
  assert.ok((await w.locator(".re-body p").count()) > 3, "the whole body");
  assert.equal(await focused(), "re-title", "focus stays where the reader was");
  assert.deepEqual(log.errors, []);
  await context.close();
});

for (const [lang, message, retry] of [
  ["en", "The text of this release could not be loaded. Check your connection and try again.", "Try again"],
  ["es", "No se pudo cargar el texto de este comunicado. Compruebe su conexi\u00f3n e int\u00e9ntelo de nuevo.", "Intentar de nuevo"],
]) {
  test(`a part that fails to load says so with ${retry} (${lang}), and the list keeps working`, async () => {
    const { page, context, log } = await openPage(env);
    await holdIdleCallbacks(page);
    let fail = true;
    await page.route(isBodyPart, (route) => (fail ? route.fulfill({ status: 503, body: "busy" }) : route.continue()));
    await page.goto(`${env.url}/embed.html?src=/releases.json&page-size=100&lang=${lang}`);
    const w = widget(page);
    await w.locator(`.re-item-title a[data-re-open="${SEED}"]`).click();
    const alert = w.locator(".re-body").getByRole("alert");
    await alert.waitFor();
    assert.equal(await alert.locator("p").first().innerText(), message);
    await eventually(() => log.errors.some((e) => e.includes("the body part could not be loaded")), "a console error");

    // The list still works: back to it, search, open the release again.
    await w.locator(".re-back a").click();
    await w.locator("input.re-search:not([disabled])").fill("veterans");
    await w.locator(".re-item-title", { hasText: /veterans/i }).first().waitFor();
    await w.locator("input.re-search").fill("kilmartin");
    await w.locator(`.re-item-title a[data-re-open="${SEED}"]`).click();
    await alert.waitFor();
    fail = false;
    await w.getByRole("button", { name: retry }).click();
    await w.locator(".re-body p", { hasText: "Kilmartin" }).first().waitFor();
    assert.equal(await w.locator("[data-re-part]").count(), 0);
    await context.close();
  });
}

test("a part changed on the server is refused (its sha384 is checked) and the release says so", async () => {
  const { page, context, log } = await openPage(env);
  await holdIdleCallbacks(page);
  await page.route(isBodyPart, async (route) => {
    const response = await route.fetch();
    const bytes = Buffer.from(await response.body());
    bytes[bytes.length - 1] ^= 1;
    await route.fulfill({ response, body: bytes });
  });
  await page.goto(`${env.url}/embed.html?src=/releases.json&release=${SEED}`);
  const w = widget(page);
  await w.locator(".re-body").getByRole("alert").waitFor();
  assert.equal(await w.getByRole("button", { name: "Try again" }).count(), 1);
  await eventually(() => log.errors.some((e) => e.includes("the body part could not be loaded")), "a console error");
  await context.close();
});

test("a page that opens on a release fetches the body part at once, beside the list view's wasm", async () => {
  for (const address of [`/embed.html?src=/releases.json&release=${SEED}`, `/embed.html?src=/releases.json&id=news&x=1`]) {
    const { page, context, log } = await openPage(env);
    await holdIdleCallbacks(page);
    const url = address.includes("id=news") ? `${env.url}${address}&news-release=${SEED}` : `${env.url}${address}`;
    await page.goto(url);
    const w = widget(page);
    await w.locator(".re-body p", { hasText: "Kilmartin" }).first().waitFor();
    const path = (u) => new URL(u).pathname;
    const order = log.requests.map(path);
    const part = order.findIndex((p) => BODY_PART.test(p));
    const feed = order.indexOf("/releases.json");
    assert.ok(part >= 0 && part < feed, `the part before the feed, with the list's wasm: ${order.join(" ")}`);
    assert.equal(await w.locator("[data-re-part]").count(), 0, "no loading state: the part came with the rest");
    assert.equal(await page.evaluate(() => window.idle.length), 0, "nothing waits for idle time");
    await context.close();
  }
});

test("the script knows each part's name and sha384, and the npm package ships each part", async () => {
  const script = await readFile("dist/release-embed.js", "utf8");
  const pkg = JSON.parse(await readFile("dist/npm/package.json", "utf8"));
  const module = await readFile("dist/npm/release-embed.mjs", "utf8");
  const chunks = (await readdir("dist")).filter((f) => /^release-embed-(split|chunk)-[a-z0-9]+\.[0-9a-f]{12}\.wasm$/.test(f));
  for (const stem of ["split-body", "split-xml", "split-jsonfeed", "split-wordpress"]) {
    assert.ok(chunks.some((f) => f.startsWith(`release-embed-${stem}.`)), `dist/ has the ${stem} chunk`);
  }
  for (const file of [...chunks, (await readdir("dist")).find((f) => /^release-embed-archive\./.test(f))]) {
    const integrity = `sha384-${createHash("sha384").update(await readFile(`dist/${file}`)).digest("base64")}`;
    assert.ok(script.includes(file) && script.includes(integrity), `the script names ${file} with its sha384`);
    const plain = file.replace(/\.[0-9a-f]{12}\.wasm$/, ".wasm");
    assert.ok(module.includes(integrity), `the module has ${plain}'s sha384`);
    assert.ok(module.includes(`new URL("./${plain}", import.meta.url)`), `bundlers see ${plain}`);
    assert.ok((await readdir("dist/npm")).includes(plain), `the npm package ships ${plain}`);
  }
  assert.ok(pkg.files.includes("*.wasm"), "the package publishes every wasm");
});

const LIST_WASM = /\/release-embed\.[0-9a-f]{12}\.wasm$/;

/** Holds the list view's wasm until a request to `feed` is seen (or 5 s pass); says which came first. */
async function holdWasmUntilFeed(page, feed) {
  const held = await holdUntilRequested(page, LIST_WASM, new RegExp(`^${feed.replaceAll(".", "\\.")}$`));
  const seen = { feedRequests: 0, get feedBeforeWasm() { return held.before; } };
  page.on("request", (request) => new URL(request.url()).pathname === feed && (seen.feedRequests += 1));
  return seen;
}

test("the feed downloads beside the list view's wasm, not after it, and only once", async () => {
  const { page, context, log } = await openPage(env);
  const seen = await holdWasmUntilFeed(page, "/releases.json");
  await page.goto(`${env.url}/embed.html?src=/releases.json`);
  const w = widget(page);
  await w.locator(".re-item").first().waitFor();
  assert.ok(seen.feedBeforeWasm, "the feed was requested while the wasm was still on its way");
  assert.equal(seen.feedRequests, 1, "the widget used the request the script started");
  // mount() in the npm module starts its request early too, and the widget uses it.
  await page.goto(`${env.url}/pages/module.html`);
  await page.waitForFunction(() => window.widget);
  const before = log.requests.filter((u) => u.endsWith("/fixtures/jsonfeed-1.1.json")).length;
  await page.evaluate(async () => {
    const box = document.body.appendChild(document.createElement("div"));
    box.id = "second";
    await window.mount(box, { src: "/fixtures/jsonfeed-1.1.json", urlKey: "two" });
  });
  await page.locator("#second .re-item").first().waitFor();
  assert.equal(log.requests.filter((u) => u.endsWith("/fixtures/jsonfeed-1.1.json")).length - before, 1, "one request");
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("a feed requested early that fails is the widget's usual message, and Try again fetches it anew", async () => {
  const { page, context, log } = await openPage(env);
  let answers = 0;
  await page.route((url) => url.pathname === "/flaky.json", (route) => {
    answers += 1;
    return answers <= 2 ? route.fulfill({ status: 503, body: "busy" }) : route.fulfill({ path: "www/releases.json" });
  });
  await page.goto(`${env.url}/embed.html?src=/flaky.json`);
  const w = widget(page);
  const error = w.locator(".re-error");
  await error.waitFor();
  assert.match(await error.locator("p").first().innerText(), /503/);
  assert.equal(answers, 2, "the early request, then the one retry");
  await error.getByRole("button", { name: "Try again" }).click();
  await w.locator(".re-item").first().waitFor();
  assert.ok(log.errors.some((e) => e.includes("503")));
  await context.close();
});

test("an element removed before the wasm starts leaves no download behind", async () => {
  const { page, context } = await openPage(env);
  let release;
  const held = new Promise((done) => (release = done));
  await page.route((url) => LIST_WASM.test(url.pathname), async (route) => {
    await held;
    await route.continue();
  });
  let aborted = false;
  page.on("requestfailed", (request) => {
    if (new URL(request.url()).pathname === "/slow.json") aborted = true;
  });
  // A feed that never finishes: only an abort ends its request.
  await page.route((url) => url.pathname === "/slow.json", () => new Promise(() => {}));
  await page.goto(`${env.url}/embed.html?src=/slow.json`);
  await page.evaluate(() => document.querySelector("release-embed").remove());
  release();
  await eventually(() => aborted, "the early request aborted");
  await context.close();
});
