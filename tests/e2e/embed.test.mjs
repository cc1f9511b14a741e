// End to end: dist/ served over HTTP on localhost, embedded by script tag, driven in headless
// Chromium the way a reader uses it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { eventually, start, openPage, widget } from "./harness.mjs";

const SEED = "ag-kilmartin-immigration-2018";
const SEED_TITLE = "Attorney General Kilmartin Demands Sessions End Illegal and Cruel Immigration Tactics Harming Children";
const SEED_URL = "https://ag.example.gov/news/ag-kilmartin-immigration-2018";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

/** The id of the element focused inside the first widget's shadow root, if any. */
const focused = (page) =>
  page.evaluate(() => {
    const active = document.querySelector("release-embed").shadowRoot.activeElement;
    return active && (active.id || active.dataset.reOpen || active.textContent);
  });

test("the demo page lists the sample releases newest first, with nothing in the console", async () => {
  const { page, context, log } = await openPage(env);
  await page.goto(`${env.url}/`);
  const items = widget(page).locator("article.re-item");
  await items.first().waitFor();
  const feed = JSON.parse(await readFile("www/releases.json", "utf8"));
  assert.ok(feed.releases.length >= 31, "seed plus at least 30 sample releases");
  assert.equal(await widget(page).locator(".re-count").innerText(), `${feed.releases.length} releases`);
  assert.equal(await items.count(), 10, "the first page of ten");
  assert.ok(await widget(page).locator(".re-pages a[aria-current=page]").count(), "page navigation");
  const dates = await widget(page).locator(".re-item time").evaluateAll((ts) => ts.map((t) => t.dateTime));
  const stamps = dates.map((d) => Date.parse(d.length === 10 ? `${d}T00:00:00Z` : d));
  assert.ok(stamps.every((s, i) => i === 0 || stamps[i - 1] >= s), `newest first: ${dates.join(", ")}`);
  const first = items.first();
  assert.ok(await first.locator("h2 a").getAttribute("href").then((h) => h.includes("?news-release=")));
  assert.match(await first.locator("time").innerText(), /^[A-Z][a-z]+ \d{1,2}, \d{4}$/, "a date for the reader");
  assert.ok((await first.locator(".re-summary").innerText()).length > 20);
  assert.ok((await first.locator(".re-tags li").count()) >= 1);
  assert.equal(await page.locator("#snippet").innerText().then((t) => t.includes("<release-embed")), true);
  assert.deepEqual(log.errors, []);
  assert.deepEqual(log.warnings, []);
  assert.deepEqual(log.thirdParty, [], "no request leaves the page's own server");
  await context.close();
});

test("the seed release renders whole: title, paragraphs, quotes, Related links, Share this", async () => {
  const { page, context, log } = await openPage(env);
  await page.goto(`${env.url}/?news-release=${SEED}`);
  const w = widget(page);
  await w.locator("h2.re-title").waitFor();
  assert.equal(await w.locator("h2.re-title").innerText(), SEED_TITLE);
  assert.equal(await w.locator(".re-release .re-section").innerText(), "PRESS RELEASES");
  assert.equal(await w.locator(".re-release time").getAttribute("datetime"), "2018-06-19");
  const paragraphs = await w.locator(".re-body p").allInnerTexts();
  assert.equal(paragraphs.length, 10);
  assert.ok(paragraphs[0].startsWith("Attorney General Peter F. Kilmartin today called on"));
  // Typographic quotes and dashes, as the press office printed them.
  const quoted = paragraphs.filter((p) => p.startsWith("\u201c"));
  assert.ok(quoted.length >= 4, "the quoted statements are there");
  assert.ok(quoted.some((p) => p.includes("said Attorney General Kilmartin. \u201cWe are a nation of compassion")));
  assert.ok(paragraphs.some((p) => p.includes("officials\u2014locally, nationally, and internationally\u2014to prevent")));
  assert.ok(paragraphs.some((p) => p.includes("New Mexico, California, Connecticut")), "the list of states");
  assert.equal(await w.locator(".re-related h3").innerText(), "Related links");
  const related = await w.locator(".re-related a").evaluateAll((as) => as.map((a) => a.href));
  assert.ok(related.length >= 1 && related.every((h) => h.startsWith("https://ag.example.gov/")));
  assert.equal(await w.locator(".re-share h3").innerText(), "Share this");
  assert.ok(await w.locator(".re-share-list svg").count() >= 7, "icons are inline SVG");
  assert.deepEqual(log.errors, []);
  assert.deepEqual(log.thirdParty, [], "share services are not contacted before a click");
  await context.close();
});

test("every share link has the right target", async () => {
  const { page, context } = await openPage(env);
  await page.goto(`${env.url}/?news-release=${SEED}`);
  const w = widget(page);
  await w.locator(".re-share").waitFor();
  const links = await w.locator("a[data-re-share]").evaluateAll((as) =>
    as.map((a) => ({ id: a.dataset.reShare, href: a.getAttribute("href"), target: a.target, rel: a.rel, text: a.innerText })),
  );
  const t = encodeURIComponent(SEED_TITLE);
  const u = encodeURIComponent(SEED_URL);
  const want = {
    email: `mailto:?subject=${t}&body=${encodeURIComponent(`${SEED_TITLE}\n\n${SEED_URL}`)}`,
    x: `https://x.com/intent/tweet?text=${t}&url=${u}`,
    facebook: `https://www.facebook.com/sharer/sharer.php?u=${u}`,
    linkedin: `https://www.linkedin.com/sharing/share-offsite/?url=${u}`,
    bluesky: `https://bsky.app/intent/compose?text=${encodeURIComponent(`${SEED_TITLE} ${SEED_URL}`)}`,
  };
  assert.deepEqual(links.map((l) => l.id), Object.keys(want));
  for (const link of links) {
    assert.equal(link.href, want[link.id], link.id);
    if (link.id === "email") {
      assert.equal(link.target, "");
    } else {
      assert.equal(link.target, "_blank", link.id);
      assert.equal(link.rel, "noopener noreferrer", link.id);
    }
  }
  await context.close();
});

test("Copy link copies the canonical URL and says so; Print prints; the native share sheet is used where it exists", async () => {
  const { page, context } = await openPage(env);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.url });
  await page.addInitScript(() => {
    window.printed = 0;
    window.print = () => (window.printed += 1);
    navigator.share = async (data) => {
      window.shared = data;
    };
  });
  await page.goto(`${env.url}/?news-release=${SEED}`);
  const w = widget(page);
  await w.getByRole("button", { name: "Copy link" }).click();
  await w.locator(".re-status", { hasText: "Link copied" }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), SEED_URL);
  await w.getByRole("button", { name: "Print" }).click();
  assert.equal(await page.evaluate(() => window.printed), 1);
  await w.getByRole("button", { name: "Share…" }).click();
  assert.deepEqual(await page.evaluate(() => window.shared), { title: SEED_TITLE, url: SEED_URL });
  await context.close();
});

test("list → release → Back → Forward → All press releases, with the URL and focus following", async () => {
  const { page, context, log } = await openPage(env);
  await page.goto(`${env.url}/?utm_source=newsletter`);
  const w = widget(page);
  await w.locator("input.re-search:not([disabled])").fill("kilmartin");
  await w.locator(`a[data-re-open="${SEED}"]`).click();
  await w.locator("h2.re-title").waitFor();
  assert.equal(new URL(page.url()).searchParams.get("news-release"), SEED);
  assert.equal(new URL(page.url()).searchParams.get("utm_source"), "newsletter", "the host page's own parameters stay");
  assert.equal(await focused(page), "re-title", "focus moves to the release title");

  await page.goBack();
  await w.locator("article.re-item").first().waitFor();
  assert.equal(new URL(page.url()).searchParams.get("news-release"), null);
  assert.equal(await focused(page), SEED, "focus returns to the link that was followed");

  await page.goForward();
  await w.locator("h2.re-title").waitFor();
  assert.equal(await w.locator("h2.re-title").innerText(), SEED_TITLE);

  await w.getByRole("link", { name: "All press releases" }).click();
  await w.locator("article.re-item").first().waitFor();
  assert.equal(new URL(page.url()).search, "?utm_source=newsletter&news-q=kilmartin", "back to the list as it was");
  assert.equal(await w.locator("input.re-search").inputValue(), "kilmartin");

  await page.reload();
  await w.locator("article.re-item").first().waitFor();
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("a shared deep link opens the release directly, and a fixed release has no list to go back to", async () => {
  const { page, context } = await openPage(env);
  await page.goto(`${env.url}/one.html`);
  const w = widget(page);
  await w.locator("h2.re-title").waitFor();
  assert.equal(await w.locator("h2.re-title").innerText(), SEED_TITLE);
  assert.equal(await w.locator(".re-back").count(), 0);
  await context.close();
});

for (const [name, query, message] of [
  ["404", "src=/feeds/missing.json", "Releases could not be loaded: the server answered 404 Not Found."],
  ["500", "src=/feeds/500.json", "Releases could not be loaded: the server answered 500 Internal Server Error."],
  ["not JSON", "src=/feeds/not-json.json", "Releases could not be loaded: the feed is not valid JSON."],
  ["not a release feed", "src=/feeds/not-a-feed.json", 'Releases could not be loaded: it has no "releases" list.'],
  ["timeout", "src=/feeds/slow.json&timeout=1", "Releases could not be loaded: the server did not answer within 1 second."],
  ["network error", "src=http://127.0.0.1:9/releases.json", "Releases could not be loaded: the network request failed. Check your connection and try again."],
  ["no src", "", "Releases could not be loaded: the widget was not given a feed address (its src attribute is empty)."],
]) {
  test(`a feed that fails (${name}) shows a message in the widget and details in the console`, async () => {
    const { page, context, log } = await openPage(env);
    await page.goto(`${env.url}/embed.html?${query}`);
    const error = widget(page).locator(".re-error");
    await error.waitFor();
    assert.equal(await error.getAttribute("role"), "alert");
    assert.equal(await error.locator("p").first().innerText(), message);
    await eventually(() => log.errors.some((e) => e.startsWith("release-embed: ")), 'log.errors.some((e) => e.startsWith("release-embed: "))');
    assert.ok(!log.errors.some((e) => e.startsWith("uncaught")), "no uncaught exception");
    await context.close();
  });
}

test("a feed cut off half-way shows the releases before the cut, and says some are missing", async () => {
  const { page, context, log } = await openPage(env);
  await page.goto(`${env.url}/embed.html?src=/feeds/truncated.json&page-size=100`);
  const w = widget(page);
  await w.locator("article.re-item").first().waitFor();
  const shown = await w.locator("article.re-item").count();
  const all = JSON.parse(await readFile("www/releases.json", "utf8")).releases.length;
  assert.ok(shown >= 10 && shown < all, `${shown} of ${all}`);
  assert.equal(
    await w.locator(".re-warning").innerText(),
    "Some releases could not be loaded: the feed breaks off part-way. The releases before that point are shown.",
  );
  await eventually(() => log.warnings.some((m) => m.includes("the feed skipped: it breaks off at byte")), 'log.warnings.some((m) => m.includes("the feed skipped: it br');
  await context.close();
});

test("Try again reloads a feed that failed", async () => {
  const { page, context } = await openPage(env);
  let fail = true;
  await page.route((url) => url.pathname === "/flaky.json", (route) =>
    fail ? route.fulfill({ status: 503, body: "busy" }) : route.fulfill({ path: "www/releases.json", contentType: "application/json" }),
  );
  await page.goto(`${env.url}/embed.html?src=/flaky.json`);
  const w = widget(page);
  await w.locator(".re-error").waitFor();
  fail = false;
  await w.getByRole("button", { name: "Try again" }).click();
  await w.locator("article.re-item").first().waitFor();
  await context.close();
});

test("bad releases are skipped with a console warning naming each; the rest render", async () => {
  const { page, context, log } = await openPage(env);
  await page.goto(`${env.url}/embed.html?src=/fixtures/partly-bad.json`);
  const titles = widget(page).locator(".re-item-title");
  await titles.first().waitFor();
  // "May 5, 2021" is read; "2021-02-30" is no date, so that release shows undated, last (issue 17).
  assert.deepEqual(await titles.allInnerTexts(), ["Good, with bad optional fields", "Bad date", "A good release", "Impossible date"]);
  for (const place of ['release #2 (“no-title”) skipped', "release #5 skipped", 'release #8 (“good-1”) skipped', 'shown undated, after the dated ones, as no date of it could be read (release #4 (“impossible-date”)']) {
    await eventually(() => log.warnings.some((w) => w.includes(place)), 'log.warnings.some((w) => w.includes(place))');
  }
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("an unknown release id says so", async () => {
  const { page, context } = await openPage(env);
  await page.goto(`${env.url}/embed.html?src=/releases.json&release=no-such-release`);
  const notice = widget(page).locator(".re-notice");
  await notice.filter({ hasText: "no-such-release" }).waitFor();
  assert.equal(await notice.innerText(), "There is no release with the id “no-such-release” in this feed.");
  await context.close();
});

test("two widgets on one page work independently, and attribute changes are honoured", async () => {
  const { page, context } = await openPage(env);
  await page.goto(`${env.url}/pages/two.html`);
  const one = page.locator("#one");
  const two = page.locator("#two");
  await one.locator("article.re-item").first().waitFor();
  await two.locator("article.re-item").first().waitFor();
  // partly-bad.json: two good releases, one dated in words and one undated (issue 17).
  assert.equal(await two.locator("article.re-item").count(), 4);

  await one.locator(`a[data-re-open="${SEED}"]`).click();
  await one.locator("h2.re-title").waitFor();
  assert.equal(await two.locator("article.re-item").count(), 4, "the other widget keeps its list");
  assert.equal(new URL(page.url()).searchParams.get("one-release"), SEED);

  await page.evaluate(() => document.querySelector("#two").setAttribute("release", "good-1"));
  await two.locator("h2.re-title", { hasText: "A good release" }).waitFor();
  await page.evaluate(() => {
    const two = document.querySelector("#two");
    two.removeAttribute("release");
    two.setAttribute("page-size", "50");
    two.setAttribute("src", "/releases.json");
  });
  await two.locator(`a[data-re-open="${SEED}"]`).waitFor();
  assert.equal(await one.locator("h2.re-title").innerText(), SEED_TITLE);
  await context.close();
});

test("the script finds its wasm next to itself when served from another folder", async () => {
  const { page, context, log } = await openPage(env);
  await page.goto(`${env.url}/embed.html?script=/cdn/v1.2.3/release-embed.js&src=/releases.json`);
  await widget(page).locator("article.re-item").first().waitFor();
  const wasm = new RegExp(`^${env.url}/cdn/v1\\.2\\.3/release-embed\\.[0-9a-f]{12}\\.wasm$`);
  assert.ok(log.requests.some((u) => wasm.test(u)), log.requests.join("\n"));
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("the snippet from dist/SNIPPET.html works as written, integrity included", async () => {
  const snippet = await readFile("dist/SNIPPET.html", "utf8");
  const integrity = /integrity="(sha384-[A-Za-z0-9+/=]+)"/.exec(snippet)[1];
  const { page, context, log } = await openPage(env);
  const pageWith = (value) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script src="/dist/release-embed.js" integrity="${value}" crossorigin="anonymous" defer></script></head>
<body><release-embed src="/releases.json"></release-embed></body></html>`;
  let html = pageWith(integrity);
  await page.route((url) => url.pathname === "/snippet.html", (route) => route.fulfill({ contentType: "text/html", body: html }));
  await page.goto(`${env.url}/snippet.html`);
  await widget(page).locator(".re-item").first().waitFor();
  assert.deepEqual(log.errors, []);
  html = pageWith("sha384-" + "A".repeat(64));
  // reload() returns at the load event, which waits for the deferred script to run or be refused.
  await page.reload();
  assert.equal(await page.evaluate(() => customElements.get("release-embed")), undefined, "a script that does not match is refused");
  await context.close();
});

test("removing the element removes the widget; adding it back renders again", async () => {
  const { page, context, log } = await openPage(env);
  await page.goto(`${env.url}/embed.html?src=/releases.json`);
  await widget(page).locator("article.re-item").first().waitFor();
  const left = await page.evaluate(async () => {
    const el = document.querySelector("release-embed");
    el.remove();
    // Taken down a microtask later, once it is clear this was no move (tests/e2e/listeners.test.mjs).
    await null;
    return el.shadowRoot.childElementCount;
  });
  assert.equal(left, 0, "nothing left behind in the removed element");
  await page.evaluate(() => document.querySelector("main").append(document.createElement("release-embed")));
  await page.evaluate(() => document.querySelector("release-embed").setAttribute("src", "/releases.json"));
  await widget(page).locator("article.re-item").first().waitFor();
  assert.deepEqual(log.errors.filter((e) => !e.includes("src attribute is empty")), []);
  await context.close();
});

test("when the wasm cannot be loaded, the element says so instead of staying blank", async () => {
  const { page, context, log } = await openPage(env);
  await page.route((url) => url.pathname.endsWith(".wasm"), (route) => route.fulfill({ status: 404, body: "gone" }));
  await page.goto(`${env.url}/embed.html?src=/releases.json`);
  const alert = widget(page).getByRole("alert");
  await alert.waitFor();
  assert.equal(await alert.innerText(), "Releases could not be loaded: the widget could not start in this browser.");
  await eventually(() => log.errors.some((e) => e.includes("release-embed: the widget could not start")), 'log.errors.some((e) => e.includes("release-embed: the widget');
  await context.close();
});

test("a shown release carries schema.org NewsArticle data for search engines; the list does not", async () => {
  const { page, context } = await openPage(env);
  await page.goto(`${env.url}/?news-release=${SEED}`);
  await widget(page).locator("#re-title").waitFor();
  const ld = page.locator("release-embed > script[type='application/ld+json']");
  const data = JSON.parse(await ld.textContent());
  assert.deepEqual(
    { type: data["@type"], headline: data.headline, date: data.datePublished, url: data.url, dateline: data.dateline, publisher: data.publisher.name },
    { type: "NewsArticle", headline: SEED_TITLE, date: "2018-06-19", url: SEED_URL, dateline: "PROVIDENCE, R.I.", publisher: "Office of the Attorney General" },
  );
  await widget(page).getByRole("link", { name: "All press releases" }).click();
  await widget(page).locator(".re-item").first().waitFor();
  assert.equal(await ld.count(), 0);
  await context.close();
});
