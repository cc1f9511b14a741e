// WordPress and JSON Feed documents render like the native schema: decoded entities, dates,
// tags, images, authors; and their HTML bodies reach the page cleaned.
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

test("a WordPress posts response renders with decoded entities, terms, image and a clean body", async () => {
  const { page, context, log } = await openPage(env);
  await page.goto(`${env.url}/embed.html?src=/fixtures/wordpress-posts.json`);
  const w = widget(page);
  await w.locator(".re-item").first().waitFor();
  const titles = await w.locator(".re-item-title").allInnerTexts();
  assert.deepEqual(titles, [
    "Attorney General Sues Data Broker – “Residents’ Data Is Not for Sale”",
    "Protected: Internal memo",
    "Opioid Settlement Funds Reach Every County",
    // Undated, last (issue 17).
    "No date",
  ]);
  const first = w.locator(".re-item").first();
  assert.equal(await first.locator("time").getAttribute("datetime"), "2024-03-14T14:30:00Z");
  assert.equal(await first.locator("time").innerText(), "March 14, 2024");
  assert.deepEqual(await first.locator(".re-tags li").allInnerTexts(), ["Consumer Protection", "Data & Privacy"]);
  assert.equal(await first.locator(".re-author").innerText(), "By Press Office");
  assert.equal(await first.locator(".re-summary").innerText(), "The Attorney General today sued a data broker …");
  await eventually(() => log.warnings.some((m) => m.includes("shown undated") && m.includes("post #4 (“no-date”): it has no date")), "a warning for post #4");

  await first.locator("h2 a").click();
  const body = await releaseBody(w);
  assert.equal(await w.locator(".re-image img").getAttribute("alt"), "Rows of servers");
  assert.equal(await body.locator("blockquote").innerText(), "“Privacy is a right,” said the Attorney General.");
  assert.equal(await body.locator("a").getAttribute("href"), "http://" + new URL(env.url).host + "/wp-content/uploads/complaint.pdf");
  assert.equal(await body.locator("script, iframe, [onerror]").count(), 0);
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.wpPwned), undefined, "nothing from the feed ran");
  await context.close();
});

test("a password-protected WordPress post shows its title only", async () => {
  const { page, context } = await openPage(env);
  await page.goto(`${env.url}/embed.html?src=/fixtures/wordpress-posts.json&release=internal-memo`);
  const w = widget(page);
  await w.locator("#re-title").waitFor();
  assert.equal(await w.locator(".re-body").count(), 0);
  assert.ok(!(await w.locator(".re-release").innerText()).includes("Secret"));
  await context.close();
});

test("a JSON Feed renders its items, with a title made from text and attachments as links", async () => {
  const { page, context, log } = await openPage(env);
  await page.goto(`${env.url}/embed.html?src=/fixtures/jsonfeed-1.1.json`);
  const w = widget(page);
  await w.locator(".re-item").first().waitFor();
  assert.deepEqual(await w.locator(".re-item-title").allInnerTexts(), [
    "Riverside Park Reopens After Flood Repairs",
    "The council adopted the 2026 budget by a vote of 7 to…",
    // Undated, last (issue 17).
    "An item without a date",
  ]);
  await eventually(() => log.warnings.some((m) => m.includes("shown undated") && m.includes("item #3 (“no-date”): it has no date")), "a warning for item #3");
  await w.locator(".re-item-title a").first().click();
  await releaseBody(w);
  assert.equal(await w.locator(".re-body em").innerText(), "Saturday");
  assert.equal(await w.locator(".re-body [onclick], .re-body script").count(), 0);
  assert.deepEqual(await w.locator(".re-related a").allInnerTexts(), ["Repair report", "photos.zip"]);
  assert.equal(await w.locator(".re-related a").first().getAttribute("href"), `${env.url}/files/repair-report.pdf`);
  assert.equal(await page.evaluate(() => window.jfPwned), undefined);
  await context.close();
});

test("the format attribute can name the format", async () => {
  const { page, context } = await openPage(env);
  await page.goto(`${env.url}/embed.html?src=/fixtures/jsonfeed-1.0.json&format=jsonfeed`);
  await widget(page).locator(".re-item", { hasText: "Free Flu Clinics" }).waitFor();
  await page.goto(`${env.url}/embed.html?src=/fixtures/jsonfeed-1.0.json&format=wordpress`);
  await widget(page).locator(".re-error", { hasText: "it is not a list of WordPress posts" }).waitFor();
  await context.close();
});

for (const [name, file] of [["written by PHP (escaped slashes and \\u escapes)", "jsonfeed-php.json"], ["with a byte-order mark and its version last", "jsonfeed-bom.json"]]) {
  test(`a JSON Feed ${name} renders`, async () => {
    const { page, context, log } = await openPage(env);
    await page.goto(`${env.url}/embed.html?src=/fixtures/${file}`);
    const w = widget(page);
    await w.locator(".re-item").first().waitFor();
    assert.deepEqual(await w.locator(".re-item-title").allInnerTexts(), [
      "Attorney General Reaches $2.1 Million Settlement With Tenant-Screening Company",
      "Charities: Register Before June 30 … or Lose Your Exemption",
    ]);
    assert.equal(await w.locator(".re-author").first().innerText(), "By Oficina de Prensa – Press Office");
    await w.locator(".re-item-title a").first().click();
    const body = await releaseBody(w);
    assert.match(await body.innerText(), /Se ofrece información en español/);
    assert.equal(await body.locator("a").first().getAttribute("href"), `${env.url}/wp-content/uploads/2025/05/settlement.pdf`);
    // The release's image is on the agency's host, which the test page refuses to reach.
    assert.deepEqual(log.errors.filter((m) => !m.startsWith("Failed to load resource")), []);
    assert.deepEqual(log.thirdParty, ["https://ag.example.gov/wp-content/uploads/2025/05/keys.jpg"]);
    await context.close();
  });
}
