// A small static file server for the demo and the end-to-end tests (no dependencies).
//   node tools/serve.mjs            serves www/ at / and dist/ at /dist/ on 127.0.0.1:$PORT (8080)
// Tests import startServer() and add routes of their own (slow, failing, truncated feeds).
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { gzipSync, constants as zlib } from "node:zlib";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  // No charset: an XML feed's own declaration says its encoding, as on most feed hosts.
  ".xml": "application/xml",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
};

export const ROOT = resolve(fileURLToPath(import.meta.url), "../..");

/**
 * mounts: URL prefix → folder, longest prefix wins. routes: exact path → (req, res, url) handler,
 * tried before files. headers: added to every file response. gzip: files go gzip -9 compressed
 * to browsers that accept it, as a CDN sends them (the benchmark's first-load table).
 * cache: path → its Cache-Control (default no-cache), for the benchmark's repeat visits.
 */
export function startServer({ mounts, routes = {}, headers = {}, port = 0, host = "127.0.0.1", gzip = false, cache = () => "no-cache" }) {
  const compressed = new Map();
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://localhost");
    try {
      const route = routes[url.pathname];
      if (route) return await route(req, res, url);
      const prefix = prefixes.find((p) => url.pathname.startsWith(p));
      if (!prefix) return notFound(res);
      const folder = resolve(ROOT, mounts[prefix]);
      let file = normalize(join(folder, decodeURIComponent(url.pathname.slice(prefix.length))));
      if (!file.startsWith(folder)) return notFound(res);
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, "index.html");
      let body = await readFile(file).catch(() => null);
      if (!body) return notFound(res);
      const encoding = gzip && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "") ? { "content-encoding": "gzip" } : {};
      if (encoding["content-encoding"]) {
        const key = `${file}:${body.length}`;
        if (!compressed.has(key)) compressed.set(key, gzipSync(body, { level: zlib.Z_BEST_COMPRESSION }));
        body = compressed.get(key);
      }
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": cache(url.pathname),
        ...encoding,
        ...headers,
      });
      res.end(body);
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    }
  });
  return new Promise((ready) => {
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      ready({ url: `http://${host}:${actual}`, close: () => new Promise((done) => server.close(done)), server });
    });
  });
}

function notFound(res) {
  res.writeHead(404, { "content-type": "text/plain" });
  res.end("Not found");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT || 8080);
  const { url } = await startServer({ mounts: { "/": "www", "/dist/": "dist" }, port });
  console.log(`release-embed demo: ${url}/  (Ctrl+C stops it)`);
}
