// Proof in a real app: a Vite project in a temporary folder installs the packed npm package,
// builds for production, and the build runs in Chromium, served under the strict CSP
// (script-src 'self' 'wasm-unsafe-eval', no blob:): the element and mount() both render, the
// events arrive, and an element reading an archive gets its answers from the archive part's
// worker, which Vite shipped as a worker of its own; nothing is blocked.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startServer } from "../../tools/serve.mjs";
import { start, openPage, recordBlocked, STRICT_CSP, COMMAND } from "./harness.mjs";

const VITE = "7.3.8";
let env;
let app;
before(async () => {
  env = await start();
  app = await mkdtemp(join(tmpdir(), "release-embed-vite-"));
});
after(async () => {
  await env?.close();
  if (app) await rm(app, { recursive: true, force: true });
});

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"], timeout: 300_000 }).toString();

test("a Vite app built with the packed package renders releases and hears the events", async () => {
  const tarball = run("npm", ["pack", resolve("dist/npm"), "--pack-destination", app, "--silent"], app).trim().split("\n").pop();
  await writeFile(
    join(app, "package.json"),
    JSON.stringify({ private: true, type: "module", dependencies: { "release-embed": `file:./${tarball}` }, devDependencies: { vite: VITE } }, null, 2),
  );
  await writeFile(
    join(app, "index.html"),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="/favicon.ico"><title>Vite app</title></head>
<body><release-embed id="tag" src="/releases.json"></release-embed><div id="app"></div>
<release-embed id="archive" src="/a/archive.json" page-size="3"></release-embed><script type="module" src="/main.js"></script></body></html>`,
  );
  // As the README shows: importing the package defines the element; mount() renders anywhere.
  await writeFile(
    join(app, "main.js"),
    `import { mount } from "release-embed";
window.events = [];
document.addEventListener("release-embed:load", (event) => window.events.push({ id: event.target.id, ...event.detail }));
mount(document.getElementById("app"), { src: "/releases.json", urlKey: "app", pageSize: 3 }).then((widget) => (window.widget = widget));
`,
  );
  await mkdir(join(app, "public"));
  await cp("www/releases.json", join(app, "public/releases.json"));
  // An icon of its own: the strict policy would block a data: one.
  await writeFile(join(app, "public/favicon.ico"), "");
  run(COMMAND, ["archive", resolve("www/releases.json"), "--out", join(app, "public/a"), "--include-future"], app);
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], app);
  run("npx", ["vite", "build"], app);
  const assets = await readdir(join(app, "dist/assets"));
  assert.ok(assets.some((f) => f.endsWith(".wasm")), `Vite emitted the wasm: ${assets}`);

  const server = await startServer({ mounts: { "/": join(app, "dist") }, headers: { "content-security-policy": STRICT_CSP } });
  try {
    const { page, context, log } = await openPage({ ...env, url: server.url });
    await recordBlocked(page);
    await page.goto(`${server.url}/`);
    await page.locator("#tag .re-item").first().waitFor();
    await page.locator("#app .re-item").first().waitFor();
    assert.equal(await page.locator("#app .re-item").count(), 3);
    await page.waitForFunction(() => window.events.filter((d) => d.id !== "archive").length >= 2);
    const formats = await page.evaluate(() => window.events.filter((d) => d.id !== "archive").map((d) => `${d.id} ${d.format}`).sort());
    assert.deepEqual(formats, ["app native", "tag native"]);

    // The archive's element: its answers come from the worker Vite built from the package's.
    const archive = page.locator("#archive");
    await archive.locator(".re-item").first().waitFor();
    assert.equal(await archive.locator(".re-item").count(), 3);
    await archive.locator("input.re-search:not([disabled])").fill("kilmartin");
    await archive.locator(".re-count", { hasText: "1 release" }).waitFor();
    const workers = page.workers().map((w) => new URL(w.url()).pathname);
    assert.ok(workers.some((path) => path.startsWith("/assets/")), `Vite's worker runs: ${workers}`);
    const fetched = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname));
    assert.deepEqual(fetched.filter((path) => path.startsWith("/a/p/")), [], "no piece fetched in the page's thread");
    assert.equal((await (await fetch(`${server.url}/`)).headers.get("content-security-policy")), STRICT_CSP);
    assert.deepEqual(await page.evaluate(() => window.blocked), [], "nothing blocked by the strict policy");
    assert.deepEqual(log.errors, []);
    await context.close();
  } finally {
    await server.close();
  }
});
