// Paged feeds: JSON Feed `next_url` and WordPress `?page=N` with `X-WP-TotalPages`, read up to the
// `pages` limit; a release on two pages shows once.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { eventually, start, openPage, widget } from "./harness.mjs";

/** The paging chunk's own file (the files it shares with the readers are the first page's too). */
const PAGING_CHUNK = /\/release-embed-split-paging\.[0-9a-f]{12}\.wasm$/;

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const item = (n) => ({ id: `n${n}`, title: `Item ${n}`, date_published: `2024-01-${String(n).padStart(2, "0")}T00:00:00Z`, content_text: "x" });

/** Three JSON Feed pages of three items; page 2 repeats one item of page 1. */
async function serveJsonFeedPages(page, requests) {
  await page.route((url) => url.pathname === "/paged/feed.json", (route) => {
    const n = Number(new URL(route.request().url()).searchParams.get("p") || 1);
    requests.push(n);
    const items = { 1: [1, 2, 3], 2: [3, 4, 5], 3: [6, 7, 8] }[n].map(item);
    const next = n < 3 ? `feed.json?p=${n + 1}` : undefined;
    return route.fulfill({ contentType: "application/json", body: JSON.stringify({ version: "https://jsonfeed.org/version/1.1", title: "Paged", next_url: next, items }) });
  });
}

test("a JSON Feed is read page by page through next_url; a repeated item shows once", async () => {
  const { page, context, log } = await openPage(env);
  const requests = [];
  await serveJsonFeedPages(page, requests);
  await page.goto(`${env.url}/embed.html?src=/paged/feed.json&page-size=50`);
  const w = widget(page);
  await w.locator(".re-count", { hasText: "8 releases" }).waitFor();
  assert.deepEqual(requests, [1, 2, 3]);
  assert.deepEqual(await w.locator(".re-item-title").allInnerTexts(), [8, 7, 6, 5, 4, 3, 2, 1].map((n) => `Item ${n}`));
  await eventually(() => log.warnings.some((m) => m.includes("“n3”") && m.includes("earlier page")), 'log.warnings.some((m) => m.includes("“n3”") && m.includes("e');
  await context.close();
});

test("the paging chunk cannot be fetched: the first page stays, searchable, and the console says why", async () => {
  const { page, context, log } = await openPage(env);
  await serveJsonFeedPages(page, []);
  let fail = true;
  await page.route((url) => PAGING_CHUNK.test(url.pathname), (route) => (fail ? route.fulfill({ status: 503, body: "busy" }) : route.continue()));
  await page.goto(`${env.url}/embed.html?src=/paged/feed.json&page-size=50`);
  const w = widget(page);
  await eventually(() => log.warnings.some((m) => m.includes("page 2 of the feed") && m.includes("could not be fetched")), "the warning names the page");
  assert.deepEqual(await w.locator(".re-item-title").allInnerTexts(), [3, 2, 1].map((n) => `Item ${n}`));
  assert.equal(await w.getByRole("alert").count(), 0, "the list is not replaced by an error");
  await w.locator("input.re-search:not([disabled])").fill("Item 2");
  await w.locator(".re-count", { hasText: "1 release" }).waitFor();
  // The next visit reads the later pages once the chunk can be fetched.
  fail = false;
  await page.goto(`${env.url}/embed.html?src=/paged/feed.json&page-size=50`);
  await w.locator(".re-count", { hasText: "8 releases" }).waitFor();
  await context.close();
});

test("the paging chunk changed on the server is refused by its sha384: the first page stays", async () => {
  const { page, context, log } = await openPage(env);
  await serveJsonFeedPages(page, []);
  await page.route((url) => PAGING_CHUNK.test(url.pathname), async (route) => {
    const response = await route.fetch();
    const bytes = Buffer.from(await response.body());
    bytes[bytes.length - 1] ^= 1;
    await route.fulfill({ response, body: bytes });
  });
  await page.goto(`${env.url}/embed.html?src=/paged/feed.json&page-size=50`);
  const w = widget(page);
  await eventually(() => log.errors.some((e) => /integrity|digest/i.test(e)), "the integrity failure in the console");
  await eventually(() => log.warnings.some((m) => m.includes("page 2 of the feed")), "the warning names the page");
  assert.deepEqual(await w.locator(".re-item-title").allInnerTexts(), [3, 2, 1].map((n) => `Item ${n}`));
  await context.close();
});

test("the pages attribute limits how many pages are read", async () => {
  const { page, context } = await openPage(env);
  const requests = [];
  await serveJsonFeedPages(page, requests);
  await page.goto(`${env.url}/embed.html?src=/paged/feed.json&pages=2`);
  const w = widget(page);
  await w.locator(".re-count", { hasText: "5 releases" }).waitFor();
  await page.waitForTimeout(500);
  assert.deepEqual(requests, [1, 2]);
  await context.close();
});

test("WordPress pages follow ?page=N while X-WP-TotalPages says there are more, and search sees every page", async () => {
  const { page, context } = await openPage(env);
  const requests = [];
  await page.route((url) => url.pathname === "/wp-json/wp/v2/posts", (route) => {
    const n = Number(new URL(route.request().url()).searchParams.get("page") || 1);
    requests.push(n);
    const posts = [1, 2].map((k) => {
      const id = (n - 1) * 2 + k;
      return { id, slug: `post-${id}`, date_gmt: `2023-05-${String(id).padStart(2, "0")}T10:00:00`, title: { rendered: `Post ${id} &#8211; page ${n}` }, content: { rendered: `<p>Body ${id}</p>` }, excerpt: { rendered: "" } };
    });
    return route.fulfill({ contentType: "application/json", headers: { "X-WP-TotalPages": "3", "X-WP-Total": "6" }, body: JSON.stringify(posts) });
  });
  await page.goto(`${env.url}/embed.html?src=${encodeURIComponent("/wp-json/wp/v2/posts?_embed")}`);
  const w = widget(page);
  await w.locator(".re-count", { hasText: "6 releases" }).waitFor();
  assert.deepEqual(requests, [1, 2, 3]);
  await w.locator("input.re-search:not([disabled])").fill('"page 3"');
  await w.locator(".re-count", { hasText: "2 releases" }).waitFor();
  assert.deepEqual(await w.locator(".re-item-title").allInnerTexts(), ["Post 6 – page 3", "Post 5 – page 3"]);
  await context.close();
});
