// The max-bytes limit: an endless response stops at the limit with a notice and the releases read
// so far; a feed over a small limit keeps what fits; with nothing readable in the part read, the
// limit is the message. Through the attribute and through mount().
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

test("an endless response stops at max-bytes and shows what was read, with a notice", async () => {
  const { page, context, log } = await openPage(env);
  let crashed = false;
  page.on("crash", () => (crashed = true));
  await page.goto(`${env.url}/embed.html?src=/feeds/endless.json&max-bytes=2000000&timeout=30`);
  const w = widget(page);
  const notice = w.locator(".re-notice", { hasText: "Only the first 2 MB of the feed were read" });
  await notice.waitFor({ timeout: 30000 });
  assert.equal(await notice.innerText(), "Only the first 2 MB of the feed were read, the most this page reads. The releases in that part are shown.");
  const count = Number((await w.locator(".re-count").innerText()).replace(/\D/g, ""));
  assert.ok(count > 4000 && count < 8000, `${count} releases from 2 MB`);
  assert.equal(await w.locator(".re-item").count(), 10);
  await eventually(() => log.warnings.some((m) => m.includes("longer than max-bytes (2000000 bytes)")), "a console warning");
  assert.equal(crashed, false);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("in Spanish, the notice is Spanish", async () => {
  const { page, context } = await openPage(env);
  await page.goto(`${env.url}/embed.html?src=/feeds/endless.json&max-bytes=500000&lang=es`);
  await widget(page).locator(".re-notice", { hasText: "Solo se leyeron los primeros 500 kB del feed" }).waitFor();
  await context.close();
});

test("a feed over a small limit keeps the releases that fit; with none, the limit is the reason", async () => {
  const { page, context, log } = await openPage(env);
  await page.goto(`${env.url}/embed.html?src=/releases.json&max-bytes=20000`);
  const w = widget(page);
  await w.locator(".re-notice", { hasText: "Only the first 20 kB of the feed were read" }).waitFor();
  const count = Number((await w.locator(".re-count").innerText()).replace(/\D/g, ""));
  assert.ok(count >= 3 && count < 31, `${count} of the sample's releases fit in 20 kB`);

  await page.goto(`${env.url}/embed.html?src=/releases.json&max-bytes=40&lang=en`);
  const error = w.locator(".re-error");
  await error.waitFor();
  assert.match(await error.innerText(), /Releases could not be loaded: the feed is larger than 40 bytes, the most this page reads\./);
  await eventually(() => log.errors.some((m) => m.includes("is larger than max-bytes (40 bytes)")), "the console says why");
  await context.close();
});

test("a JSON Feed over the limit keeps its complete items", async () => {
  const { page, context } = await openPage(env);
  await page.goto(`${env.url}/embed.html?src=/fixtures/jsonfeed-php.json&max-bytes=1500`);
  const w = widget(page);
  await w.locator(".re-notice", { hasText: "Only the first 1.5 kB of the feed were read" }).waitFor();
  assert.deepEqual(await w.locator(".re-item-title").allInnerTexts(), [
    "Attorney General Reaches $2.1 Million Settlement With Tenant-Screening Company",
  ]);
  await context.close();
});

test("mount() takes maxBytes", async () => {
  const { page, context } = await openPage(env);
  await page.goto(`${env.url}/pages/module.html`);
  await page.waitForFunction(() => window.widget);
  await page.evaluate(() => window.widget.setOptions({ feed: undefined, src: "/feeds/endless.json", maxBytes: 1000000 }));
  await page.locator("#target .re-notice", { hasText: "Only the first 1 MB of the feed were read" }).waitFor();
  await context.close();
});
