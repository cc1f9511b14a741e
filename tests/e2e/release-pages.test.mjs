// Release pages (`release-embed archive --site-url`): a page read with script off shows the seed
// release whole, passes axe in light and dark, prints without its controls; and the widget on the
// same archive shares, describes and links each release by its page when the feed gave it no
// address of its own. The demo's feed is used with its addresses taken out, so every release is
// known by its page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { start, openPage, widget, COMMAND } from "./harness.mjs";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const sample = JSON.parse(readFileSync("www/releases.json", "utf8"));
const SEED = sample.releases.find((r) => r.id === "ag-kilmartin-immigration-2018");

let env;
let dir;
let site;
before(async () => {
  env = await start();
  dir = mkdtempSync(join(tmpdir(), "release-embed-pages-"));
  const feed = { ...sample, releases: sample.releases.map(({ url, ...r }) => r) };
  writeFileSync(join(dir, "feed.json"), JSON.stringify(feed));
  site = `${env.url}/site/`;
  execFileSync(COMMAND, [
    "archive", join(dir, "feed.json"), "--out", join(dir, "site"), "--include-future",
    "--site-url", site, "--newsroom", `${env.url}/newsroom.html`,
  ]);
});
after(async () => {
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const pageOf = (id) => `${site}releases/${id}/`;

/** A page whose /site/ serves the built directory (folders by their index.html, images from www/). */
async function sitePage(options = {}) {
  const session = await openPage(env, options);
  const missing = [];
  await session.page.route((url) => url.pathname.startsWith("/site/"), (route) => {
    let path = decodeURIComponent(new URL(route.request().url()).pathname.slice("/site/".length));
    if (path === "" || path.endsWith("/")) path += "index.html";
    const file = path.startsWith("images/") ? join("www", path) : join(dir, "site", path);
    return route.fulfill({ path: file }).catch(() => {
      missing.push(path);
      return route.fulfill({ status: 404, body: "" });
    });
  });
  return { ...session, missing };
}

test("a release page with script off shows the seed release whole: text, quote, Related links, Share this", async () => {
  const { page, context, log, missing } = await sitePage({ javaScriptEnabled: false });
  const response = await page.goto(pageOf(SEED.id));
  assert.equal(response.status(), 200);
  assert.equal(await page.locator("h1").innerText(), SEED.title);
  assert.equal(await page.title(), `${SEED.title} | ${sample.agency.name}`);
  assert.equal(await page.locator("html").getAttribute("lang"), "en");
  assert.equal(await page.locator(".re-dateline").innerText(), SEED.dateline);
  const body = await page.locator(".re-body").innerText();
  assert.match(body, /\u201cThere is no question that our immigration system is broken/);
  assert.match(body, /we should follow those laws with a moral compass that allows for compassion\.\u201d/);
  assert.ok(body.split("\n").filter((p) => p.trim()).length >= 10, "every paragraph");
  const related = await page.locator(".re-related a").evaluateAll((as) => as.map((a) => [a.textContent, a.href]));
  assert.deepEqual(related, SEED.related_links.map((l) => [l.title, l.url]));
  // Share this: the widget's services and encoding, plain links, no Copy or Print buttons.
  const shares = await page.locator("a[data-re-share]").evaluateAll((as) => as.map((a) => [a.dataset.reShare, a.getAttribute("href")]));
  const url = encodeURIComponent(pageOf(SEED.id));
  const title = encodeURIComponent(SEED.title);
  assert.deepEqual(shares, [
    ["email", `mailto:?subject=${title}&body=${encodeURIComponent(`${SEED.title}\n\n${pageOf(SEED.id)}`)}`],
    ["x", `https://x.com/intent/tweet?text=${title}&url=${url}`],
    ["facebook", `https://www.facebook.com/sharer/sharer.php?u=${url}`],
    ["linkedin", `https://www.linkedin.com/sharing/share-offsite/?url=${url}`],
    ["bluesky", `https://bsky.app/intent/compose?text=${encodeURIComponent(`${SEED.title} ${pageOf(SEED.id)}`)}`],
  ]);
  assert.equal(await page.locator("button").count(), 0);
  assert.equal(await page.locator("script:not([type='application/ld+json'])").count(), 0, "no script");
  assert.equal(await page.locator(".re-back a").getAttribute("href"), `${env.url}/newsroom.html`);
  assert.equal(await page.locator(".re-back a").innerText(), "All press releases");
  // The widget's stylesheet applies: the title is the widget's size, links its colour.
  const color = await page.locator(".re-related a").first().evaluate((a) => getComputedStyle(a).color);
  assert.equal(color, "rgb(0, 94, 162)");
  assert.deepEqual(missing, []);
  assert.deepEqual(log.thirdParty, []);
  // Head tags a link preview reads.
  const og = await page.locator("meta[property^='og:']").evaluateAll((ms) => Object.fromEntries(ms.map((m) => [m.getAttribute("property"), m.content])));
  assert.equal(og["og:url"], pageOf(SEED.id));
  assert.equal(og["og:title"], SEED.title);
  assert.equal(await page.locator("link[rel=canonical]").getAttribute("href"), pageOf(SEED.id));
  await context.close();
});

test("an image's page shows it with its alt text", async () => {
  const withImage = sample.releases.find((r) => r.image);
  const { page, context, missing } = await sitePage({ javaScriptEnabled: false });
  await page.goto(pageOf(withImage.id));
  const img = page.locator(".re-image img");
  assert.equal(await img.getAttribute("alt"), withImage.image.alt);
  assert.ok(await img.evaluate((i) => i.decode().then(() => i.naturalWidth > 0)), "it loads");
  assert.deepEqual(missing, []);
  await context.close();
});

for (const colorScheme of ["light", "dark"]) {
  test(`axe finds no WCAG 2.1 AA violations on a release page, ${colorScheme}`, async () => {
    const { page, context } = await sitePage({ colorScheme });
    await page.goto(pageOf(SEED.id));
    const background = await page.locator("body").evaluate((b) => getComputedStyle(b).backgroundColor);
    assert.equal(background, colorScheme === "dark" ? "rgb(27, 27, 27)" : "rgba(0, 0, 0, 0)");
    await page.addScriptTag({ path: AXE });
    const found = await page.evaluate(async (tags) => {
      const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
      return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" > ")).join(", ")}`);
    }, TAGS);
    assert.deepEqual(found, []);
    await context.close();
  });
}

test("printing a release page hides its controls and keeps the release", async () => {
  const { page, context } = await sitePage({ javaScriptEnabled: false });
  await page.goto(pageOf(SEED.id));
  assert.equal(await page.locator(".re-share").isVisible(), true);
  await page.emulateMedia({ media: "print" });
  for (const hidden of [".re-share", ".re-back", ".re-page-header"]) {
    assert.equal(await page.locator(hidden).isVisible(), false, `${hidden} is not printed`);
  }
  assert.equal(await page.locator("h1").isVisible(), true);
  assert.equal(await page.locator(".re-related").isVisible(), true);
  // Links are printed with their addresses, as in the widget's release view.
  const after = await page.locator(".re-related a").first().evaluate((a) => getComputedStyle(a, "::after").content);
  assert.match(after, /attr\(href\)|https:/);
  await context.close();
});

test("the widget on the same archive shares, describes and links each release by its page", async () => {
  const { page, context } = await sitePage();
  await page.goto(`${env.url}/embed.html?src=/site/archive.json&release=${SEED.id}`);
  const w = widget(page);
  await w.locator(".re-share").waitFor();
  const facebook = await w.locator("a[data-re-share=facebook]").getAttribute("href");
  assert.equal(facebook, `https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(pageOf(SEED.id))}`);
  const ld = JSON.parse(await page.locator("release-embed > script[type='application/ld+json']").textContent());
  assert.equal(ld.url, pageOf(SEED.id));
  await context.close();

  const list = await sitePage();
  await list.page.goto(`${env.url}/embed.html?src=/site/archive.json&open=link&page-size=5`);
  const items = widget(list.page).locator(".re-item-title a");
  await items.first().waitFor();
  const newest = [...sample.releases].sort((a, b) => Date.parse(b.date) - Date.parse(a.date))[0];
  assert.equal(await items.first().getAttribute("href"), pageOf(newest.id));
  // The link leads to that page.
  await items.first().click();
  await list.page.waitForURL(pageOf(newest.id));
  assert.equal(await list.page.locator("h1").innerText(), newest.title);
  await list.context.close();
});
