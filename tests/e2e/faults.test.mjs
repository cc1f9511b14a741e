// When the network or the feed's server fails: one retry after a pause, then the copy kept from
// an earlier visit, with a note saying when it was saved.
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

const isFeed = (url) => url.pathname === "/flaky-feed.json";

test("a server error is retried once after a pause, and the releases show", async () => {
  const { page, context, log } = await openPage(env);
  const answers = [];
  await page.route(isFeed, (route) => {
    answers.push(Date.now());
    return answers.length === 1
      ? route.fulfill({ status: 503, body: "busy" })
      : route.fulfill({ path: "www/releases.json", contentType: "application/json" });
  });
  await page.goto(`${env.url}/embed.html?src=/flaky-feed.json`);
  await widget(page).locator(".re-item").first().waitFor();
  assert.equal(answers.length, 2);
  assert.ok(answers[1] - answers[0] >= 900, `paused ${answers[1] - answers[0]} ms before retrying`);
  assert.deepEqual(log.errors.filter((e) => !e.includes("503")), []);
  await context.close();
});

test("when the network fails, the copy kept from the last visit shows, saying when it was saved", async () => {
  const { page, context, log } = await openPage(env);
  let online = true;
  await page.route(isFeed, (route) =>
    online ? route.fulfill({ path: "www/releases.json", contentType: "application/json" }) : route.abort("internetdisconnected"),
  );
  await page.goto(`${env.url}/embed.html?src=/flaky-feed.json`);
  const w = widget(page);
  await w.locator(".re-item").first().waitFor();
  const count = await w.locator(".re-count").innerText();
  assert.equal(await w.locator(".re-warning").count(), 0, "no note while online");

  online = false;
  await page.reload();
  const note = w.locator(".re-warning", { hasText: "Showing releases saved on" });
  await note.waitFor();
  const today = new Date().toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric" });
  assert.equal(await note.locator("p").first().innerText(), `Showing releases saved on ${today}. The latest could not be loaded.`);
  assert.equal(await w.locator(".re-count").innerText(), count, "every release that was kept");
  await eventually(() => log.errors.some((e) => e.includes("showing the copy kept from an earlier visit")), 'log.errors.some((e) => e.includes("showing the copy kept fro');

  online = true;
  await note.getByRole("button", { name: "Try again" }).click();
  await w.locator(".re-item").first().waitFor();
  await page.waitForFunction(() => !document.querySelector("release-embed").shadowRoot.querySelector(".re-warning"));
  await context.close();
});

test("when the feed times out, the copy kept from the last visit shows (the deadline stops the request, not the load)", async () => {
  const { page, context, log } = await openPage(env);
  let stall = false;
  await page.route(isFeed, async (route) => {
    if (stall) await new Promise((done) => setTimeout(done, 3000));
    await route.fulfill({ path: "www/releases.json", contentType: "application/json" }).catch(() => {});
  });
  await page.goto(`${env.url}/embed.html?src=/flaky-feed.json&timeout=1`);
  const w = widget(page);
  await w.locator(".re-item").first().waitFor();
  const count = await w.locator(".re-count").innerText();

  stall = true;
  await page.reload();
  await w.locator(".re-warning", { hasText: "Showing releases saved on" }).waitFor();
  assert.equal(await w.locator(".re-count").innerText(), count, "every release that was kept");
  await eventually(() => log.errors.some((e) => e.includes("timed out after 1 s; showing the copy kept from an earlier visit")), "the console says why");
  await context.close();
});

test("without a kept copy a network failure says so", async () => {
  const { page, context } = await openPage(env);
  await page.route(isFeed, (route) => route.abort("internetdisconnected"));
  await page.goto(`${env.url}/embed.html?src=/flaky-feed.json`);
  await widget(page).locator(".re-error", { hasText: "the network request failed" }).waitFor();
  await context.close();
});
