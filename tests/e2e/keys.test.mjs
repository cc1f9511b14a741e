// Several widgets on one page keep their state in the page URL apart: widgets without ids get keys
// of their own in document order (re, re-2, …), and a key that begins another (news, news-2) leaves
// the other's parameters alone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { eventually, start, openPage, widget } from "./harness.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const params = (page) => [...new URL(page.url()).searchParams].map(([k, v]) => `${k}=${v}`);
/** The widgets' parameters, without embed.html's own (src, count…). */
const widgetParams = (page) => params(page).filter((p) => p.startsWith("re-"));
const count = (w) => w.locator(".re-count").textContent();
const title = (w) => w.locator("#re-title").textContent();

test("two widgets without ids keep their own state across a reload, Back and Forward", async () => {
  const { page, context, log } = await openPage(env);
  const infos = [];
  page.on("console", (m) => m.type() === "info" && infos.push(m.text()));
  await page.goto(`${env.url}/embed.html?src=/releases.json&page-size=5&count=2`);
  const [first, second] = [widget(page, 0), widget(page, 1)];
  await first.locator(".re-item").first().waitFor();
  await second.locator(".re-item").first().waitFor();
  const all = await count(first);
  await eventually(() => infos.length > 0, "the hint to give the widgets ids");
  assert.equal(infos.length, 1, "one hint per page, not per widget");
  assert.match(infos[0], /several widgets on this page have no id.*\(re, re-2, …\)/);

  await first.locator("input.re-search").fill("kilmartin");
  await first.locator(".re-count", { hasText: "1 release" }).waitFor();
  await eventually(() => params(page).includes("re-q=kilmartin"), "the search reaches the URL after the typing pause");
  const link = second.locator("[data-re-open]").nth(2);
  const id = await link.getAttribute("data-re-open");
  const opened = await link.textContent();
  await link.click();
  await second.locator("#re-title").waitFor();
  assert.deepEqual(widgetParams(page), ["re-q=kilmartin", `re-2-release=${id}`]);
  assert.equal(await count(first), "1 release", "the first widget kept its search");

  await page.reload();
  await first.locator(".re-count", { hasText: "1 release" }).waitFor();
  await second.locator("#re-title").waitFor();
  assert.equal(await first.locator("input.re-search").inputValue(), "kilmartin");
  assert.equal(await first.locator("#re-title").count(), 0, "the release opened in the other stays there");
  assert.equal(await title(second), opened);

  await page.goBack();
  await second.locator(".re-item").first().waitFor();
  assert.equal(await count(second), all, "Back closes the release; the second widget was never searched");
  assert.equal(await count(first), "1 release");
  await page.goForward();
  await second.locator("#re-title").waitFor();
  assert.equal(await title(second), opened);
  assert.equal(await count(first), "1 release");

  assert.deepEqual(log.errors, []);
  assert.deepEqual(log.warnings, [], "no release was looked up in the wrong feed");
  await context.close();
});

test("a single widget without an id keeps the re key and gets no hint", async () => {
  const { page, context, log } = await openPage(env);
  const infos = [];
  page.on("console", (m) => m.type() === "info" && infos.push(m.text()));
  await page.goto(`${env.url}/embed.html?src=/releases.json`);
  const w = widget(page);
  const link = w.locator("[data-re-open]").first();
  const id = await link.getAttribute("data-re-open");
  await link.click();
  await w.locator("#re-title").waitFor();
  assert.deepEqual(widgetParams(page), [`re-release=${id}`]);
  assert.deepEqual(infos, []);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("widgets keyed news and news-2 do not take each other's parameters", async () => {
  const { page, context, log } = await openPage(env);
  await page.goto(`${env.url}/pages/prefix-keys.html`);
  const news = page.locator("#news");
  const news2 = page.locator("#news-2");
  await news.locator(".re-item").first().waitFor();
  await news2.locator(".re-item").first().waitFor();
  const all = await count(news);

  await news2.locator("input.re-search").fill("kilmartin");
  await news2.locator(".re-count", { hasText: "1 release" }).waitFor();
  await eventually(() => params(page).includes("news-2-q=kilmartin"), "news-2's search in the URL");
  // news's filters and release are written beside news-2's, never over them.
  await news.locator("select[name=sort]").selectOption("oldest");
  await eventually(() => params(page).includes("news-sort=oldest"), "news's sort in the URL");
  assert.ok(params(page).includes("news-2-q=kilmartin"), `news-2 kept its search: ${params(page)}`);
  await news.locator("[data-re-open]").first().click();
  await news.locator("#re-title").waitFor();
  await news2.locator("select[name=sort]").selectOption("oldest");
  await eventually(() => params(page).includes("news-2-sort=oldest"), "news-2's sort in the URL");
  const kept = params(page);
  assert.ok(kept.some((p) => p.startsWith("news-release=")), `news's release is still open: ${kept}`);

  await page.reload();
  await news.locator("#re-title").waitFor();
  await news2.locator(".re-count", { hasText: "1 release" }).waitFor();
  assert.equal(await news2.locator("input.re-search").inputValue(), "kilmartin");
  await page.goBack();
  assert.ok(!params(page).includes("news-2-sort=oldest"), "Back undoes news-2's sort");
  await news.locator("#re-title").waitFor();
  await page.goBack();
  await news.locator(".re-item").first().waitFor();
  assert.equal(await count(news), all, "two steps Back close news's release; its list was never searched");
  assert.equal(await count(news2), "1 release");
  assert.deepEqual(log.errors, []);
  await context.close();
});
