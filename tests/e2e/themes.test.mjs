// Themes, a hostile host stylesheet, and printing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { start, openPage, widget } from "./harness.mjs";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const SEED = "ag-kilmartin-immigration-2018";
const page_ = (attrs, css = "") => `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script src="/dist/release-embed.js" defer></script><style>${css}</style></head>
<body><main><h1>Agency page</h1><release-embed src="/releases.json" ${attrs}></release-embed></main></body></html>`;

async function open(attrs, { css = "", scheme = "light" } = {}) {
  const session = await openPage(env, { colorScheme: scheme });
  await session.page.route((url) => url.pathname === "/t.html", (route) => route.fulfill({ contentType: "text/html", body: page_(attrs, css) }));
  await session.page.goto(`${env.url}/t.html`);
  return session;
}

async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document.querySelector("release-embed"), { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" > ")).join(", ")}`);
  });
}

for (const [name, attrs, scheme] of [
  ["dark", 'theme="dark"', "light"],
  ["auto, on a dark system", 'theme="auto"', "dark"],
]) {
  test(`the ${name} theme is dark and passes axe on the list and a release`, async () => {
    const { page, context } = await open(attrs, { scheme });
    const w = widget(page);
    await w.locator("input.re-search:not([disabled])").waitFor();
    assert.equal(await w.locator(".re-root").evaluate((el) => getComputedStyle(el).backgroundColor), "rgb(27, 27, 27)");
    assert.deepEqual(await axe(page), []);
    await w.locator("input.re-search").fill("immig");
    await w.locator(".re-item mark").first().waitFor();
    assert.deepEqual(await axe(page), []);
    await w.locator(`a[data-re-open]`).first().click();
    await w.locator(".re-share").waitFor();
    assert.deepEqual(await axe(page), []);
    await context.close();
  });
}

test("auto on a light system stays light", async () => {
  const { page, context } = await open('theme="auto"');
  await widget(page).locator(".re-item").first().waitFor();
  assert.equal(await widget(page).locator(".re-root").evaluate((el) => getComputedStyle(el).color), "rgb(27, 27, 27)");
  await context.close();
});

test("a hostile host stylesheet cannot break the widget, and the widget's styles do not leak out", async () => {
  const hostile = `* { color: red !important; font-size: 40px !important; background: lime !important; letter-spacing: 5px !important; }
    h2, p, a, ul, li, button, input, section, article { display: none !important; }
    .re-title, .re-item, .re-share, .re-root { display: none !important; }`;
  const { page, context } = await open("", { css: hostile });
  const w = widget(page);
  await w.locator(".re-item").first().waitFor();
  const style = await w.locator(".re-item-title a").first().evaluate((el) => {
    const s = getComputedStyle(el);
    return { color: s.color, display: s.display, visible: el.getBoundingClientRect().height > 0 };
  });
  assert.deepEqual(style, { color: "rgb(0, 94, 162)", display: "inline", visible: true });
  assert.equal(await w.locator(".re-summary").first().evaluate((el) => getComputedStyle(el).fontSize), "16px");
  assert.equal(await w.locator(".re-summary").first().evaluate((el) => getComputedStyle(el).color), "rgb(27, 27, 27)");
  // And the other way: the widget's classes style nothing on the page.
  const outside = await page.evaluate(() => {
    const p = document.createElement("p");
    p.className = "re-summary re-title re-notice";
    document.body.append(p);
    return getComputedStyle(p).maxWidth;
  });
  assert.equal(outside, "none");
  await context.close();
});

test("printing a release prints the release only, without controls, with link addresses", async () => {
  const { page, context } = await open(`release="${SEED}"`);
  const w = widget(page);
  await w.locator(".re-share").waitFor();
  await page.emulateMedia({ media: "print" });
  await page.evaluate(() => {
    window.print = () => {
      const root = document.querySelector("release-embed").shadowRoot;
      window.seen = {
        page: getComputedStyle(document.querySelector("h1")).visibility,
        widget: getComputedStyle(document.querySelector("release-embed")).visibility,
        share: getComputedStyle(root.querySelector(".re-share")).display,
        link: getComputedStyle(root.querySelector(".re-related a"), "::after").content,
      };
    };
    document.querySelector("release-embed").shadowRoot.querySelector("[data-re-action=print]").click();
  });
  const seen = await page.evaluate(() => window.seen);
  assert.deepEqual({ ...seen, link: seen.link.startsWith('" (') }, { page: "hidden", widget: "visible", share: "none", link: true });
  assert.equal(await page.evaluate(() => document.querySelector("release-embed").hasAttribute("data-re-printing")), false, "the page is back to normal");
  assert.equal(await page.evaluate(() => document.adoptedStyleSheets.length), 0);
  await context.close();
});
