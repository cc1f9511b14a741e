// Real RSS 2.0 (WordPress, Drupal), RSS 1.0 and Atom feeds from public feed-parser test suites
// (tests/fixtures/README.md) render in the list and release views as a reader expects: decoded
// text, the dates the feed gives, tags, authors, images, links against the feed's xml:base, and
// a feed in ISO-8859-1 read in its own encoding. Broken XML gets a clear message.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { eventually, start, openPage, widget, releaseBody } from "./harness.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

/** Opens `fixture` in the embed page and waits for the list. */
async function list(fixture, extra = "") {
  const opened = await openPage(env);
  await opened.page.goto(`${env.url}/embed.html?src=/fixtures/${fixture}${extra}`);
  const w = widget(opened.page);
  await w.locator(".re-item").first().waitFor();
  return { ...opened, w };
}

test("a WordPress RSS 2.0 feed: decoded title, date, categories, author, summary and the body's image", async () => {
  const { page, context, log, w } = await list("rss2-wordpress.xml");
  const item = w.locator(".re-item").first();
  assert.equal(await item.locator(".re-item-title").innerText(), "Minor earthquake, 3.5 mag was detected near Aris in Greece");
  assert.equal(await item.locator("time").getAttribute("datetime"), "2019-08-06T05:01:15Z");
  assert.equal(await item.locator("time").innerText(), "August 6, 2019");
  assert.deepEqual(await item.locator(".re-tags li").allInnerTexts(), ["Earthquake breaking news", "Minor World Earthquakes Magnitude -3.9", "Spárti"]);
  assert.equal(await item.locator(".re-author").innerText(), "By admin");
  assert.match(await item.locator(".re-summary").innerText(), /^A minor earthquake magnitude 3\.5 \(ml\/mb\) strikes near Kalamáta, Trípoli/);
  await item.locator("h2 a").click();
  const body = await releaseBody(w);
  assert.equal(await body.locator("img").getAttribute("src"), "http://www.earthquakenewstoday.com/wp-content/uploads/35_20.jpg");
  assert.equal(await body.locator("img").getAttribute("alt"), "Earthquake location 37.102S, 21.9072W");
  // The harness refuses requests leaving localhost (the body's image is on the feed's site).
  assert.deepEqual(log.errors.filter((m) => !m.startsWith("Failed to load resource")), []);
  await context.close();
});

test("a Drupal RSS 2.0 feed: double-escaped HTML shows as text and markup, links follow its xml:base", async () => {
  const { context, w } = await list("rss2-drupal.xml");
  const item = w.locator(".re-item").first();
  assert.equal(await item.locator(".re-item-title").innerText(), "Diba carousel slider - Moderately critical - Cross Site Scripting (XSS) - SA-CONTRIB-2026-191");
  assert.equal(await item.locator("time").innerText(), "September 23, 2026");
  assert.equal(await item.locator(".re-author").innerText(), "By Drupal Security Team");
  await item.locator("h2 a").click();
  const body = await releaseBody(w);
  const text = await body.innerText();
  assert.ok(text.includes("the field's rendered output"), text);
  assert.ok(text.includes("Kalle Kipinä (kekkis)"), text);
  assert.ok(!/&quot;|&lt;|&#039;/.test(text), `no references shown as typed: ${text}`);
  assert.equal(await body.locator("code").first().innerText(), "diba_carousel");
  assert.equal(await body.locator("a", { hasText: "Diba carousel slider" }).first().getAttribute("href"), "https://www.drupal.org/project/diba_carousel");
  await context.close();
});

test("an RSS 1.0 (RDF) feed: Dublin Core dates and the channel as the agency", async () => {
  const { context, w } = await list("rss1-debian.xml");
  const item = w.locator(".re-item").first();
  assert.equal(await item.locator(".re-item-title").innerText(), "Updated Debian 11: 11.6 released");
  assert.equal(await item.locator("time").getAttribute("datetime"), "2022-12-17");
  assert.equal(await item.locator("time").innerText(), "December 17, 2022");
  await item.locator("h2 a").click();
  await releaseBody(w);
  assert.equal(await w.locator(".re-body q").innerText(), "bullseye");
  await context.close();
});

test("an ISO-8859-1 feed reads in its declared encoding", async () => {
  const { context, w } = await list("rss1-iso-8859-1.xml");
  assert.equal(await w.locator(".re-item-title").first().innerText(), "Digitalministerium: Neue Glasfaserförderung mit Schnellkasse");
  assert.match(await w.locator(".re-summary").first().innerText(), /^Ab April soll es wieder Förderung für den Ausbau/);
  await context.close();
});

test("an Atom feed: HTML content, category labels, author and published date; format=\"atom\" names it", async () => {
  const { context, w } = await list("atom-movable-type.xml", "&format=atom");
  const item = w.locator(".re-item").first();
  assert.equal(await item.locator(".re-item-title").innerText(), "Time to Transfer Risk: Why Security Complexity & VPNs Are No Longer Sustainable");
  assert.equal(await item.locator("time").innerText(), "July 30, 2019");
  assert.deepEqual(await item.locator(".re-tags li").allInnerTexts(), ["Zero Trust", "SSL"]);
  assert.equal(await item.locator(".re-author").innerText(), "By Lorenz Jakober");
  await item.locator("h2 a").click();
  await releaseBody(w);
  assert.match(await w.locator(".re-body p").first().innerText(), /^We all heed the gospel of patching/);
  await context.close();
});

test("images from an image enclosure (RSS) and a Media RSS thumbnail (Atom)", async () => {
  for (const [fixture, src, date] of [
    ["rss2-image-enclosure.xml", "https://www.ilmessaggero.it/photos/MED/48/69/7054869_16003922_missili_polonia_1_.jpg", "November 16, 2022"],
    ["atom-media-group.xml", "https://i1.ytimg.com/vi/0A1ouV7iD8o/hqdefault.jpg", "December 22, 2020"],
  ]) {
    const { context, w } = await list(fixture);
    assert.equal(await w.locator(".re-item time").first().innerText(), date, fixture);
    await w.locator(".re-item h2 a").first().click();
    await w.locator("#re-title").waitFor();
    assert.equal(await w.locator(".re-image img").getAttribute("src"), src, fixture);
    await context.close();
  }
});

test("an RSS feed with bad items shows the good ones and names the others in the console", async () => {
  const { context, log, w } = await list("rss-partly-bad.xml");
  // Items without a readable date are shown undated, after the dated ones (issue 17).
  assert.deepEqual(await w.locator(".re-item-title").allInnerTexts(), [
    "Café inspections resume – “safety first”",
    "Road closures this weekend",
    "An item without a date",
    "An item with a bad date",
  ]);
  assert.deepEqual(await w.locator(".re-item").first().locator(".re-tags li").allInnerTexts(), ["Public Health"]);
  assert.equal(await w.locator(".re-item time").first().getAttribute("datetime"), "2024-03-05T09:00:00-05:00");
  await eventually(
    () =>
      log.warnings.some(
        (m) =>
          m.includes("2 of its items are shown undated") &&
          m.includes("item #2 (“102 at https://county.example.gov”): it has no date") &&
          m.includes("item #3 (“103 at https://county.example.gov”): bad <pubDate>"),
      ),
    "one warning naming items #2 and #3",
  );
  await eventually(() => log.warnings.some((m) => m.includes("it stops being XML at line")), "a warning for the cut");
  await context.close();
});

test("broken XML and an unknown encoding give a clear message", async () => {
  for (const [fixture, message] of [
    ["rss-broken.xml", "Releases could not be loaded: the feed is not well-formed XML."],
    ["bogus-encoding.xml", "Releases could not be loaded: the feed is written in a character encoding (bogus) this widget cannot read."],
  ]) {
    const { page, context, log } = await openPage(env);
    await page.goto(`${env.url}/embed.html?src=/fixtures/${fixture}`);
    const error = widget(page).locator(".re-error");
    await error.waitFor();
    assert.equal((await error.locator("p").first().innerText()).trim(), message, fixture);
    if (fixture === "rss-broken.xml") {
      await eventually(() => log.errors.some((m) => m.includes("line 5, column 33: </channel> where </title> was expected")), "the place in the console");
    }
    await context.close();
  }
});
