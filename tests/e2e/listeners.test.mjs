// A page's own scripts change the widget from inside its event listeners, as analytics and router
// scripts do: each event × each kind of change, through the script tag and through mount(). The
// change must take effect, the widget (or the other one on the page) must keep working, and the
// console must stay clean.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, openPage } from "./harness.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

/** Polls `check` (async) until it is true, failing with `what` after 5 s. */
async function until(check, what) {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`never happened: ${what}`);
}

const items = (n) => async (w) => (await w.locator(".re-item").count()) === n;
const counted = (text) => async (w) => (await w.locator(".re-count").textContent().catch(() => "")) === text;
const section = (label) => async (w) =>
  (await w.locator("#re-title").count()) === 1 && (await w.locator(".re-release .re-section").textContent()) === label;
const heard = (page, name) => page.evaluate((n) => window.heard.filter((h) => h === n).length, name);

/** What the reader does to make the event happen. */
const open = (w) => w.locator("[data-re-open]").first().click();
const TRIGGER = {
  load: async () => {},
  open,
  filter: (w) => w.locator("select[name=sort]").selectOption("oldest"),
  share: async (w) => {
    await open(w);
    await w.getByRole("button", { name: "Copy link" }).click();
  },
  error: async () => {},
};

/** After a move: the widget still answers the reader, from the view the event left it in. */
const search = async (w) => {
  await w.locator("input.re-search").fill("kilmartin");
  await until(() => counted("1 release")(w), "the moved widget searches");
};
const back = async (w) => {
  await w.getByRole("link", { name: "All press releases" }).click();
  await until(() => items(5)(w), "the moved widget goes back to its list");
};
const retry = async (w, page) => {
  await w.getByRole("button", { name: "Try again" }).click();
  await until(async () => (await heard(page, "error")) === 2, "the moved widget tries again");
};

/**
 * Per event: the attribute a script-tag page sets and what the reader then sees; the handle call a
 * mount() page makes and what the reader then sees; how the widget answers after a move.
 */
const EVENTS = {
  load: {
    attribute: [`el.setAttribute("page-size", "2")`, items(2)],
    handle: [`handle.setFilters({ query: "kilmartin" })`, counted("1 release")],
    afterMove: search,
  },
  open: {
    attribute: [`el.setAttribute("section-label", "Newsroom")`, section("Newsroom")],
    handle: [`handle.open(null)`, async (w) => (await w.locator("#re-title").count()) === 0 && items(5)(w)],
    afterMove: back,
  },
  filter: {
    attribute: [`el.setAttribute("page-size", "2")`, items(2)],
    handle: [`handle.setQuery("kilmartin")`, counted("1 release")],
    afterMove: search,
  },
  share: {
    attribute: [`el.setAttribute("section-label", "Shared")`, section("Shared")],
    handle: [`handle.refresh()`, async (w, page) => (await heard(page, "load")) === 2 && section("Press Releases")(w)],
    afterMove: back,
  },
  error: {
    attribute: [`el.setAttribute("src", "/releases.json")`, items(5)],
    handle: [`handle.setOptions({ src: "/releases.json" })`, items(5)],
    afterMove: retry,
  },
};

const gone = (page) =>
  page.evaluate(() => {
    const el = window.subjectElement;
    return !el.isConnected && el.shadowRoot.childElementCount === 0;
  });

const CHANGES = {
  tag: {
    attribute: (e) => EVENTS[e].attribute,
    remove: () => [`el.remove()`, (w, page) => gone(page)],
    move: () => [`document.getElementById("elsewhere").append(el)`, null],
  },
  mount: {
    handle: (e) => EVENTS[e].handle,
    remove: () => [`handle.destroy(); el.remove()`, (w, page) => gone(page)],
    move: () => [`document.getElementById("elsewhere").append(el)`, null],
  },
};

/** Installed before the page's scripts: records the subject's events and, on the first `event`, runs `code`. */
function listen({ event, code }) {
  window.heard = [];
  window.changed = false;
  for (const name of ["load", "open", "filter", "share", "error"]) {
    document.addEventListener(`release-embed:${name}`, (e) => {
      if (e.target.id !== "subject") return;
      window.heard.push(name);
      if (name !== event || window.changed) return;
      window.changed = true;
      window.subjectElement = e.target;
      new Function("el", "handle", code)(e.target, window.handles?.subject);
    });
  }
}

for (const [via, changes] of Object.entries(CHANGES)) {
  for (const event of Object.keys(EVENTS)) {
    for (const [change, caseOf] of Object.entries(changes)) {
      test(`${via}: ${change} from a release-embed:${event} listener`, async () => {
        const [code, sees] = caseOf(event);
        const { page, context, log } = await openPage(env);
        await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.url });
        await page.addInitScript(listen, { event, code });
        const src = event === "error" ? "/feeds/not-json.json" : "/releases.json";
        await page.goto(`${env.url}/pages/listeners.html?via=${via}&src=${encodeURIComponent(src)}`);
        const subject = page.locator("#subject");
        if (event !== "error" && event !== "load") await subject.locator(".re-item").first().waitFor();
        await TRIGGER[event](subject);
        await until(() => page.evaluate(() => window.changed), `the ${event} event`);

        if (change === "move") {
          const moved = page.locator("#elsewhere #subject");
          await until(async () => (await moved.count()) === 1, "the element is in its new place");
          await EVENTS[event].afterMove(moved, page);
        } else {
          await until(() => sees(subject, page), `what the reader sees after ${code}`);
        }
        // The other widget on the page, in the same wasm instance, still works.
        const sentinel = page.locator("#sentinel");
        await sentinel.locator("input.re-search").fill("kilmartin");
        await until(() => counted("1 release")(sentinel), "the other widget still searches");

        // The failed load is reported in the console by the widget itself, as it should be.
        const expected = (m) => event === "error" && /^release-embed: the (feed|document) is not/.test(m);
        assert.deepEqual(log.errors.filter((m) => !expected(m)), [], "nothing in the console but the feed's own error");
        await context.close();
      });
    }
  }
}
