// The demo under the strict Content Security Policy a government site may send: no inline script
// or style, no eval, wasm allowed. Nothing may be blocked, and the releases render.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, openPage, widget, recordBlocked, startStrictServer } from "./harness.mjs";

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

test("under a strict CSP nothing is blocked: the list, a search, a release with Share this", async () => {
  const { page, context, log } = await openPage({ ...env, url: strict.url });
  await recordBlocked(page);
  await page.goto(`${strict.url}/`);
  const w = widget(page);
  await w.locator("input.re-search:not([disabled])").fill("kilmartin");
  await w.locator(".re-count", { hasText: "1 release" }).waitFor();
  await w.locator(".re-item-title a").click();
  await w.locator(".re-share").waitFor();
  assert.equal(await w.locator(".re-share-list svg").first().isVisible(), true);
  const styled = await w.locator(".re-title").evaluate((el) => getComputedStyle(el).color);
  assert.equal(styled, "rgb(22, 46, 81)", "the widget's stylesheet applies under style-src 'self'");
  assert.deepEqual(await page.evaluate(() => window.blocked), []);
  assert.deepEqual(log.errors, []);
  await context.close();
});
