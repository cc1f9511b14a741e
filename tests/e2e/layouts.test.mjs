// Where agencies put the widget: a "Latest news" box (headlines, limit, more link), cards with
// photos, titles that link to the agency's own pages, a Subscribe link, and a phone-width list
// whose filters wait behind a Filter button. Each in both themes and at both widths under axe.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { start, openPage, widget, recordBlocked, startStrictServer } from "./harness.mjs";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const PHONE = { width: 390, height: 844 };
const feed = JSON.parse(await readFile("www/releases.json", "utf8"));
const stamp = (d) => Date.parse(d.length === 10 ? `${d}T00:00:00Z` : d);
const newest = [...feed.releases].sort((a, b) => stamp(b.date) - stamp(a.date));

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const embed = (attrs) => `${env.url}/embed.html?${new URLSearchParams(attrs)}`;

/** The element focused inside the first widget, described. */
const focused = (page) =>
  page.evaluate(() => {
    const el = document.querySelector("release-embed").shadowRoot.activeElement;
    return el && { tag: el.localName, cls: el.className, name: el.getAttribute("name"), expanded: el.getAttribute("aria-expanded") };
  });

test("a headlines box with limit=5 and more-href shows the five newest titles with dates, the link, and no search or paging", async () => {
  const { page, context, log } = await openPage(env, { viewport: { width: 360, height: 700 } });
  await page.goto(
    embed({ src: "/releases.json", layout: "headlines", limit: "5", "more-href": "/news/", "section-label": "Latest news", "subscribe-href": "/alerts" }),
  );
  const w = widget(page);
  const items = w.locator(".re-headline");
  await items.first().waitFor();
  assert.equal(await items.count(), 5);
  assert.deepEqual(await w.locator(".re-headline a").allInnerTexts(), newest.slice(0, 5).map((r) => r.title));
  const dates = await w.locator(".re-headline time").evaluateAll((ts) => ts.map((t) => [t.dateTime, t.innerText]));
  assert.deepEqual(dates.map(([d]) => d), newest.slice(0, 5).map((r) => r.date));
  for (const [, text] of dates) assert.match(text, /^[A-Z][a-z]+ \d{1,2}, \d{4}$/);
  const more = w.locator(".re-more a");
  assert.equal(await more.innerText(), "All press releases");
  assert.equal(await more.evaluate((a) => a.href), `${env.url}/news/`);
  assert.equal(await w.locator(".re-list-head .re-subscribe").innerText(), "Subscribe");
  assert.equal(await w.locator(".re-section").innerText(), "LATEST NEWS");
  for (const absent of ["input", "form", ".re-pages", ".re-summary", ".re-tags", ".re-count", ".re-filter-toggle"]) {
    assert.equal(await w.locator(absent).count(), 0, `no ${absent}`);
  }
  // The page's filters and page number do not reach the box.
  await page.goto(`${embed({ src: "/releases.json", layout: "headlines", limit: "5" })}&re-q=zzqx&re-page=3`);
  await w.locator(".re-headline").first().waitFor();
  assert.equal(await w.locator(".re-headline a").first().innerText(), newest[0].title);
  // Following the more link leaves for the newsroom page.
  assert.deepEqual(log.errors, []);
  assert.deepEqual(log.warnings, []);
  await context.close();
});

test("a limit on the list shows that many, says of how many, and has no paging", async () => {
  const { page, context } = await openPage(env);
  await page.goto(embed({ src: "/releases.json", limit: "3" }));
  const w = widget(page);
  await w.locator("input.re-search:not([disabled])").waitFor();
  assert.equal(await w.locator("article.re-item").count(), 3);
  assert.equal(await w.locator(".re-count").innerText(), `3 of ${feed.releases.length} releases`);
  assert.equal(await w.locator(".re-pages").count(), 0);
  await w.locator("input.re-search").fill("scam");
  await w.locator(".re-item mark").first().waitFor();
  assert.match(await w.locator(".re-count").innerText(), /^3 of \d+ releases$/);
  await context.close();
});

/** An 800×600 picture (4:3, so a 16:9 crop is visible), served when the test lets it through. */
const picture = (n) => `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600" viewBox="0 0 800 600">
<rect width="800" height="600" fill="hsl(${n * 50} 60% 70%)"/><circle cx="400" cy="300" r="200" fill="#1b1b1b"/></svg>`;
const cardFeed = {
  version: "1",
  releases: Array.from({ length: 6 }, (_, i) => ({
    id: `c${i}`,
    title: `Card release ${i}`,
    date: `2025-0${i + 1}-15`,
    summary: `What release ${i} is about, in a sentence or two for the card.`,
    ...(i === 2 ? {} : { image: { url: `/slow-images/${i}.svg`, alt: `Photo number ${i}` } }),
  })),
};

test("cards show each image cropped 16:9 with its alt text, lazily, and nothing shifts while the images load", async () => {
  const { page, context, log } = await openPage(env);
  await page.addInitScript(() => {
    window.shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.shifts.push({ value: e.value, at: e.startTime });
    }).observe({ type: "layout-shift", buffered: true });
  });
  await page.route("**/cards.json", (route) => route.fulfill({ contentType: "application/json", body: JSON.stringify(cardFeed) }));
  // Held until the test has seen the cards without them (a fixed delay ran out on a busy machine).
  let releaseImages;
  const imagesHeld = new Promise((done) => (releaseImages = done));
  await page.route("**/slow-images/*", async (route) => {
    await imagesHeld;
    const n = Number(new URL(route.request().url()).pathname.match(/(\d+)\.svg$/)[1]);
    await route.fulfill({ contentType: "image/svg+xml", body: picture(n) });
  });
  await page.goto(embed({ src: "/cards.json", layout: "cards" }));
  const w = widget(page);
  await w.locator("article.re-card").first().waitFor();
  const imgs = w.locator(".re-card img");
  assert.equal(await w.locator("article.re-card").count(), 6);
  assert.equal(await imgs.count(), 5, "the release without an image has none");
  assert.equal(await imgs.evaluateAll((is) => is.filter((i) => i.complete).length), 0, "the images are still loading");
  const attrs = await imgs.evaluateAll((is) =>
    is.map((i) => ({ alt: i.alt, loading: i.loading, width: i.getAttribute("width"), height: i.getAttribute("height") })),
  );
  assert.deepEqual(
    attrs,
    [0, 1, 3, 4, 5].reverse().map((n) => ({ alt: `Photo number ${n}`, loading: "lazy", width: "640", height: "360" })),
  );
  releaseImages();
  await page.waitForFunction(
    () => [...document.querySelector("release-embed").shadowRoot.querySelectorAll(".re-card img")].every((i) => i.complete && i.naturalWidth > 0),
    null,
    { timeout: 10000 },
  );
  // Two frames for any shift to be reported.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  const shifts = await page.evaluate(() => window.shifts);
  assert.equal(shifts.reduce((sum, s) => sum + s.value, 0), 0, `layout shifts: ${JSON.stringify(shifts)}`);
  const box = await imgs.first().evaluate((i) => {
    const r = i.getBoundingClientRect();
    return { ratio: Math.round((r.width / r.height) * 100) / 100, fit: getComputedStyle(i).objectFit };
  });
  assert.deepEqual(box, { ratio: 1.78, fit: "cover" });
  // Reading order: the title before the image it is drawn under.
  const order = await w.locator("article.re-card").first().evaluate((a) => [...a.children].map((c) => c.className || c.localName));
  assert.deepEqual(order, ["re-item-title", "re-meta", "re-summary", "re-card-image"]);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("cards take each format's image from the release model: WordPress featured media, JSON Feed image", async () => {
  const { page, context } = await openPage(env);
  for (const [src, title, want] of [
    ["/fixtures/wordpress-posts.json", "Attorney General Sues Data Broker", { src: "https://ag.example.gov/wp-content/uploads/2024/03/servers.jpg", alt: "Rows of servers" }],
    ["/fixtures/jsonfeed-1.1.json", "", { src: `${env.url}/fixtures/images/park.jpg`, alt: "" }],
  ]) {
    await page.goto(embed({ src, layout: "cards" }));
    const card = widget(page).locator("article.re-card", { hasText: title }).filter({ has: page.locator("img") }).first();
    await card.waitFor();
    assert.deepEqual(await card.locator("img").evaluate((i) => ({ src: i.src, alt: i.alt })), want, src);
  }
  await context.close();
});

test("open=link: a title goes to the release's own page in the same tab; one without a url opens inline, and Share this stays right", async () => {
  const { page, context } = await openPage(env);
  const own = `${env.url}/agency/news/first.html`;
  const linked = {
    version: "1",
    releases: [
      { id: "first", title: "Has its own page", date: "2025-05-02", url: own, summary: "On the agency's site." },
      { id: "second", title: "Only in the feed", date: "2025-05-01", summary: "No page of its own." },
    ],
  };
  await page.route("**/linked.json", (route) => route.fulfill({ contentType: "application/json", body: JSON.stringify(linked) }));
  await page.route("**/agency/news/first.html", (route) =>
    route.fulfill({ contentType: "text/html", body: "<!doctype html><title>First</title><h1>The agency's page for the first release</h1>" }),
  );
  for (const layout of ["list", "cards", "headlines"]) {
    await page.goto(embed({ src: "/linked.json", open: "link", layout }));
    const w = widget(page);
    const title = w.getByRole("link", { name: "Has its own page" });
    await title.waitFor();
    assert.equal(await title.getAttribute("target"), null, "same tab");
    await title.click();
    await page.waitForURL(own);
    assert.equal(await page.locator("h1").innerText(), "The agency's page for the first release", layout);
  }
  await page.goBack();
  const w = widget(page);
  await w.getByRole("link", { name: "Only in the feed" }).click();
  await w.locator("#re-title").waitFor();
  assert.equal(new URL(page.url()).searchParams.get("re-release"), "second");
  const deepLink = await w.locator("[data-re-action=copy]").getAttribute("data-re-url");
  assert.equal(new URL(deepLink).searchParams.get("re-release"), "second", "shared as its deep link here");
  // A deep link to a release with a page of its own still opens here, and is shared as that page.
  await page.goto(`${embed({ src: "/linked.json", open: "link" })}&re-release=first`);
  await w.locator("#re-title").waitFor();
  assert.equal(await w.locator("[data-re-action=copy]").getAttribute("data-re-url"), own);
  await context.close();
});

test("at 390×844 the results come first; the Filter button opens and closes the filters from the keyboard and counts them", async () => {
  const { page, context } = await openPage(env, { viewport: PHONE });
  await page.goto(embed({ src: "/releases.json" }));
  const w = widget(page);
  const search = w.locator("input.re-search:not([disabled])");
  await search.waitFor();
  const title = await w.locator(".re-item-title").first().boundingBox();
  assert.ok(title.y >= 0 && title.y + title.height <= PHONE.height, `the first title is in view: ${JSON.stringify(title)}`);
  assert.equal(await search.isVisible(), true, "the search box stays");
  const button = w.locator("button.re-filter-toggle");
  const panel = w.locator("#re-filter-panel");
  assert.equal(await button.locator("span").first().innerText(), "Filter");
  assert.equal(await button.locator(".re-badge").count(), 0, "no count while none is in use");
  assert.equal(await button.getAttribute("aria-expanded"), "false");
  assert.equal(await button.getAttribute("aria-controls"), "re-filter-panel");
  assert.equal(await w.locator(".re-facet").first().isVisible(), false, "the facets wait behind the button");

  await search.focus();
  await page.keyboard.press("Tab");
  assert.deepEqual(await focused(page), { tag: "button", cls: "re-filter-toggle", name: null, expanded: "false" });
  await page.keyboard.press("Enter");
  assert.equal(await button.getAttribute("aria-expanded"), "true");
  assert.equal(await w.locator(".re-facet").first().isVisible(), true);
  assert.equal((await focused(page)).cls, "re-filter-toggle", "focus stays on the button");

  // Into the panel: tick a topic with Space, then an office.
  for (const facet of ["tag", "agency"]) {
    for (let i = 0; i < 80 && (await focused(page)).name !== facet; i++) await page.keyboard.press("Tab");
    assert.equal((await focused(page)).name, facet);
    await page.keyboard.press("Space");
  }
  await w.locator(".re-badge", { hasText: "2" }).waitFor();
  assert.equal(await button.locator(".re-visually-hidden").innerText(), "(2 active)");
  assert.equal(await panel.isVisible(), true, "ticking redraws the results, not the panel");

  for (let i = 0; i < 120 && (await focused(page))?.cls !== "re-filter-toggle"; i++) await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Space");
  assert.equal(await button.getAttribute("aria-expanded"), "false");
  assert.equal(await w.locator(".re-facet").first().isVisible(), false);
  assert.equal((await focused(page)).cls, "re-filter-toggle");
  assert.equal(await w.locator(".re-badge").innerText(), "2", "the count stays in view while closed");

  // Back and Forward redraw the whole list; the panel keeps the reader's choice.
  await page.keyboard.press("Enter");
  await page.goBack();
  await w.locator(".re-badge", { hasText: "1" }).waitFor();
  assert.equal(await button.getAttribute("aria-expanded"), "true");
  await context.close();
});

test("wide layouts are unchanged: no Filter button, every filter in view", async () => {
  const { page, context } = await openPage(env);
  await page.goto(embed({ src: "/releases.json" }));
  const w = widget(page);
  await w.locator("input.re-search:not([disabled])").waitFor();
  assert.equal(await w.locator("button.re-filter-toggle").isVisible(), false);
  assert.equal(await w.locator(".re-facet").first().isVisible(), true);
  assert.equal(await w.locator("input[type=date]").first().isVisible(), true);
  await context.close();
});

test("narrow is the widget's width, not the window's: a sidebar on a wide screen folds its filters too", async () => {
  const { page, context } = await openPage(env);
  await page.goto(embed({ src: "/releases.json" }));
  await page.addStyleTag({ content: "release-embed { display: block; width: 320px; }" });
  const w = widget(page);
  await w.locator("input.re-search:not([disabled])").waitFor();
  assert.equal(await w.locator("button.re-filter-toggle").isVisible(), true);
  assert.equal(await w.locator(".re-facet").first().isVisible(), false);
  await context.close();
});

test("Spanish: the box, its links and the Filter button speak the reader's language", async () => {
  const { page, context } = await openPage(env, { viewport: PHONE });
  await page.goto(`${embed({ src: "/releases.json", lang: "es", "more-href": "/noticias", "subscribe-href": "/alertas" })}&re-tag=Scams`);
  const w = widget(page);
  await w.locator("button.re-filter-toggle").waitFor();
  assert.equal(await w.locator("button.re-filter-toggle > span").first().innerText(), "Filtrar");
  assert.equal(await w.locator(".re-badge").innerText(), "1");
  assert.equal(await w.locator("button.re-filter-toggle .re-visually-hidden").innerText(), "(1 activo)");
  assert.equal(await w.locator(".re-more a").innerText(), "Todos los comunicados");
  assert.equal(await w.locator(".re-subscribe").innerText(), "Suscribirse");
  await context.close();
});

test("printed: cards two to a row, no filters, buttons or links to elsewhere", async () => {
  const { page, context } = await openPage(env);
  await page.goto(embed({ src: "/releases.json", layout: "cards", "more-href": "/news", "subscribe-href": "/alerts" }));
  const w = widget(page);
  await w.locator("article.re-card").first().waitFor();
  await page.emulateMedia({ media: "print" });
  const display = (sel) => w.locator(sel).first().evaluate((el) => getComputedStyle(el).display);
  for (const hidden of [".re-filters", ".re-more", ".re-subscribe", ".re-pages"]) assert.equal(await display(hidden), "none", hidden);
  const columns = await w.locator(".re-cards").evaluate((el) => getComputedStyle(el).gridTemplateColumns.split(" ").length);
  assert.equal(columns, 2);
  await context.close();
});

test("under the strict CSP, cards and the headlines box render with nothing blocked", async () => {
  const strict = await startStrictServer();
  const { page, context, log } = await openPage({ ...env, url: strict.url });
  await recordBlocked(page);
  await page.goto(`${strict.url}/`);
  await page.locator("#demo-layout").selectOption("cards");
  const w = widget(page);
  await w.locator(".re-card img").first().waitFor();
  await page.waitForFunction(() => document.querySelector("#news").shadowRoot.querySelector(".re-card img").naturalWidth > 0);
  await page.locator("#latest").locator(".re-headline").first().waitFor();
  assert.deepEqual(await page.evaluate(() => window.blocked), []);
  assert.deepEqual(log.errors, []);
  await context.close();
  await strict.close();
});

test("the demo page has a Latest news box beside the newsroom, and a layout switch", async () => {
  const { page, context, log } = await openPage(env, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${env.url}/`);
  const box = page.locator("#latest");
  await box.locator(".re-headline").first().waitFor();
  assert.equal(await box.locator(".re-headline").count(), 5);
  assert.equal(await box.locator(".re-more a").innerText(), "All press releases");
  const news = await page.locator("#news").boundingBox();
  const side = await page.locator("#latest").boundingBox();
  assert.ok(side.x >= news.x + news.width, "beside it, on a wide screen");
  for (const layout of ["cards", "headlines", "list"]) {
    await page.locator("#demo-layout").selectOption(layout);
    const want = { cards: "article.re-card", headlines: ".re-headline", list: "article.re-item:not(.re-card)" }[layout];
    await widget(page).locator(want).first().waitFor();
  }
  assert.deepEqual(log.errors, []);
  assert.deepEqual(log.thirdParty, []);
  await context.close();
});

async function violations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" > ")).join(", ")}`);
  });
}

for (const layout of ["list", "cards", "headlines"]) {
  for (const theme of ["light", "dark"]) {
    for (const [width, viewport] of [["desktop", { width: 1000, height: 900 }], ["390", PHONE]]) {
      test(`axe: no violation in ${layout}, ${theme} theme, ${width} width`, async () => {
        const { page, context } = await openPage(env, { viewport });
        const attrs = { src: "/releases.json", layout, theme, "more-href": "/news", "subscribe-href": "/alerts" };
        if (layout === "headlines") attrs.limit = "5";
        await page.goto(`${embed(attrs)}&re-tag=Scams`);
        const w = widget(page);
        await w.locator(".re-results li").first().waitFor();
        if (layout !== "headlines") await w.locator("input.re-search:not([disabled])").waitFor();
        if (width === "390" && layout !== "headlines") {
          await w.locator("button.re-filter-toggle").click();
          await w.locator(".re-facet").first().waitFor();
        }
        if (layout === "cards") {
          await page.waitForFunction(() => [...document.querySelector("release-embed").shadowRoot.querySelectorAll(".re-card img")].every((i) => i.complete));
        }
        assert.deepEqual(await violations(page), []);
        await context.close();
      });
    }
  }
}
