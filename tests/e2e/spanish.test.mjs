// The widget in Spanish: its own text, counts and dates follow the lang attribute (or the page's
// lang); right-to-left text in a release takes its own direction.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { start, openPage, widget } from "./harness.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

test("lang=es: labels, counts, dates, Share this and errors in Spanish", async () => {
  const total = JSON.parse(await readFile("www/releases.json", "utf8")).releases.length;
  const { page, context } = await openPage(env);
  await page.goto(`${env.url}/embed.html?src=/releases.json&lang=es-US`);
  const w = widget(page);
  await w.locator(".re-item").first().waitFor();
  assert.equal(await w.locator(".re-list > .re-section").innerText(), "COMUNICADOS DE PRENSA");
  assert.equal(await w.locator(".re-count").innerText(), `${total} comunicados`);
  assert.equal(await w.locator("label[for=re-q]").innerText(), "Buscar");
  assert.deepEqual(await w.locator(".re-facet legend").allInnerTexts(), ["Temas", "Oficinas", "Años"]);
  assert.equal(await w.getByRole("link", { name: "Siguiente" }).count(), 1);
  await w.locator("input.re-search:not([disabled])").fill("kilmartin");
  await w.locator(".re-count", { hasText: "1 comunicado" }).waitFor();
  await w.locator(".re-item-title a").click();
  await w.locator("#re-title").waitFor();
  assert.equal(await w.locator(".re-release time").innerText(), "19 de junio de 2018");
  assert.equal(await w.locator(".re-related h3").innerText(), "Enlaces relacionados");
  assert.equal(await w.locator(".re-share h3").innerText(), "Compartir");
  assert.equal(await w.getByRole("link", { name: "Todos los comunicados" }).count(), 1);

  await page.goto(`${env.url}/embed.html?src=/feeds/not-json.json&lang=es`);
  await w.locator(".re-error").waitFor();
  assert.equal(await w.locator(".re-error p").first().innerText(), "No se pudieron cargar los comunicados: el feed no es JSON válido.");
  await context.close();
});

test("the page's own lang is used when the element has none; right-to-left text keeps its direction", async () => {
  const { page, context } = await openPage(env);
  const feed = { version: "1", releases: [{ id: "ar", title: "بيان صحفي عن حماية المستهلك", date: "2024-02-01", body: "هذا نص عربي.\n\nSecond paragraph in English." }] };
  await page.route((url) => url.pathname === "/rtl.json", (route) => route.fulfill({ contentType: "application/json", body: JSON.stringify(feed) }));
  await page.route((url) => url.pathname === "/es-page.html", (route) =>
    route.fulfill({ contentType: "text/html", body: `<!doctype html><html lang="es"><head><meta charset="utf-8"><link rel="icon" href="data:,"><script src="/dist/release-embed.js" defer></script></head><body><release-embed src="/rtl.json" release="ar"></release-embed></body></html>` }),
  );
  await page.goto(`${env.url}/es-page.html`);
  const w = widget(page);
  await w.locator("#re-title").waitFor();
  assert.equal(await w.locator(".re-release time").innerText(), "1 de febrero de 2024");
  assert.equal(await w.locator("#re-title").evaluate((el) => getComputedStyle(el).direction), "rtl");
  assert.equal(await w.locator(".re-body").evaluate((el) => getComputedStyle(el).direction), "rtl");
  await context.close();
});

test("the demo page's language and theme switches change the widget", async () => {
  const { page, context } = await openPage(env);
  await page.goto(`${env.url}/`);
  const w = widget(page);
  await w.locator(".re-item").first().waitFor();
  await page.selectOption("#demo-lang", "es");
  await w.locator(".re-list > .re-section", { hasText: "COMUNICADOS DE PRENSA" }).waitFor();
  await page.selectOption("#demo-theme", "dark");
  assert.equal(await w.locator(".re-root").evaluate((el) => getComputedStyle(el).backgroundColor), "rgb(27, 27, 27)");
  await page.selectOption("#demo-lang", "");
  await w.locator(".re-list > .re-section", { hasText: "PRESS RELEASES" }).waitFor();
  await context.close();
});
