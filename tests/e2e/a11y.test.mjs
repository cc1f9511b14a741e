// Accessibility (WCAG 2.1 AA) checked with axe-core in Chromium on every view a reader meets:
// the list, a filtered list, no results, a release, and an error.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { start, openPage, widget } from "./harness.mjs";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

async function violations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" > ")).join(", ")}`);
  }, TAGS);
}

const views = [
  ["the list", "/", ".re-item"],
  ["a filtered list", "/?news-q=immig&news-tag=Immigration", ".re-item mark"],
  ["no results", "/?news-q=zzqx", ".re-empty"],
  ["a release", "/?news-release=ag-kilmartin-immigration-2018", ".re-share"],
  ["an error", "/embed.html?src=/feeds/not-json.json", ".re-error"],
];

for (const theme of ["light", "dark"]) {
  for (const [name, path, ready] of views) {
    test(`axe finds no WCAG 2.1 AA violations on ${name}, ${theme} theme`, async () => {
      const { page, context } = await openPage(env);
      await page.goto(`${env.url}${path}`);
      await widget(page).locator(ready).first().waitFor();
      await page.evaluate((t) => document.querySelector("release-embed").setAttribute("theme", t), theme);
      assert.deepEqual(await violations(page), []);
      await context.close();
    });
  }
}
