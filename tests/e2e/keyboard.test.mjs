// A reader with only a keyboard: search, tick a facet, open a release, copy its link, go back.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, openPage, widget } from "./harness.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

/** What has focus, looking into the widget's shadow root. */
const active = (page) =>
  page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el ? { tag: el.localName, name: el.getAttribute("name"), text: el.textContent.trim(), open: el.dataset?.reOpen ?? null, action: el.dataset?.reAction ?? null, checked: el.checked ?? null, back: el.hasAttribute("data-re-list") } : null;
  });

/** Presses Tab until `wanted(focused)` holds. */
async function tabTo(page, wanted, what) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press("Tab");
    const focused = await active(page);
    if (focused && wanted(focused)) return focused;
  }
  throw new Error(`Tab never reached ${what}`);
}

test("search → facet → open a release → copy its link → back, with the keyboard only", async () => {
  const { page, context } = await openPage(env);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.url });
  await page.goto(`${env.url}/`);
  const w = widget(page);
  await w.locator("input.re-search:not([disabled])").waitFor();

  await tabTo(page, (f) => f.name === "q", "the search box");
  await page.keyboard.type("immig");
  await w.locator(".re-item mark").first().waitFor();

  await tabTo(page, (f) => f.tag === "input" && f.name === "tag" && f.checked === false, "a topic");
  await page.keyboard.press("Space");
  assert.equal((await active(page)).checked, true, "ticked, and focus stays on it");
  await w.locator(".re-facet input:checked").first().waitFor();

  const link = await tabTo(page, (f) => f.open, "a release title");
  await page.keyboard.press("Enter");
  await w.locator("#re-title").waitFor();
  assert.equal((await active(page)).tag, "h2", "focus moved to the release title");

  await tabTo(page, (f) => f.action === "copy", "Copy link");
  await page.keyboard.press("Enter");
  await w.locator(".re-status", { hasText: "Link copied" }).waitFor();

  // The release's own link back (the demo's Latest news box has an "All press releases" link too).
  await tabTo(page, (f) => f.back && f.text.includes("All press releases"), "All press releases");
  await page.keyboard.press("Enter");
  await w.locator(".re-item").first().waitFor();
  assert.equal((await active(page)).open, link.open, "back on the link that was followed");
  await context.close();
});
