// The README's picture of the demo: `node tools/screenshot.mjs [out.png]` (after `make dist`).
// Serves www/ and dist/ as `make demo` does and photographs the newsroom widget with the
// "Latest news" box beside it, in Debian's Chromium.
import { chromium } from "playwright-core";
import { startServer, ROOT } from "./serve.mjs";

const out = process.argv[2] || `${ROOT}/docs/demo.png`;
const server = await startServer({ mounts: { "/": `${ROOT}/www`, "/dist/": `${ROOT}/dist` } });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 820 } });
  await page.goto(`${server.url}/`);
  await page.waitForFunction(() =>
    [...document.querySelectorAll("release-embed")].every((e) => e.shadowRoot?.querySelector(".re-item, .re-headline")),
  );
  const widget = page.locator("release-embed").first();
  await widget.scrollIntoViewIfNeeded();
  const box = await widget.boundingBox();
  const top = box.y + (await page.evaluate(() => window.scrollY)) - 10;
  await page.screenshot({ path: out, fullPage: true, clip: { x: 0, y: top, width: 1100, height: 1250 } });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await server.close();
}
