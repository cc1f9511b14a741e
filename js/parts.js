// The lazily loaded wasm part: the archive reader, a wasm of its own (parts/archive in the
// repository), started here in its worker (js/archive-client.js) with its integrity checked when a
// page's `src` is an archive. The list view's own chunks (js/chunks.js) share its memory instead.
// The Rust side asks through the loader that `useParts` hands it (src/web/parts.rs).
import { startArchive } from "./archive-client.js";
import { takeEarly } from "./early.js";
import { prefetchChunk } from "./chunks.js";
import { whenIdle } from "./idle.js";

/** Each part: how to start it, resolving with what the widget calls in it. Add a part here and in the entry scripts. */
const PARTS = { archive: startArchive };

/**
 * name → { url, integrity, worker }: where each part's wasm is and its sha384, and its worker
 * (set by the entry script).
 */
let files = {};
/** name → the promise of the started part (dropped when it fails, so Try again fetches anew). */
const loading = new Map();
/** Parts already asked for ahead of time: once per page, even if that try failed. */
const prefetched = new Set();

/**
 * How a `data:` URL is read (js/inline.js): set by the npm package's entry only, since bundlers
 * inline small files into scripts and the script tag's files are never inlined.
 */
let readInline = null;

export function configureParts(table, inline = null) {
  files = table;
  readInline = inline;
}

/**
 * Fetches a wasm file whose sha384 is known: the browser refuses the body if it does not match.
 * A script on a CDN is checked by the page's SRI; the wasm it loads is checked here.
 */
export function fetchChecked(url, integrity) {
  if (readInline && String(url).startsWith("data:")) return readInline(String(url), integrity);
  return fetch(url, integrity ? { integrity } : {}).then((response) => {
    if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
    return response;
  });
}

/** Starts the part `name` (once; again after a failure) and resolves with its exports. */
export function loadPart(name) {
  let promise = loading.get(name);
  if (!promise) {
    promise = PARTS[name](files[name], fetchChecked);
    promise.catch(() => loading.delete(name));
    loading.set(name, promise);
  }
  return promise;
}

/**
 * Fetches the part or the chunk `name` once the browser has nothing better to do (a failure here
 * stays quiet). A chunk's files are only fetched: the wasm starts it when a view needs it.
 */
export function prefetchPart(name) {
  if (prefetched.has(name) || loading.has(name)) return;
  prefetched.add(name);
  whenIdle(() => (PARTS[name] ? loadPart(name).catch(() => {}) : prefetchChunk(name)));
}

/** What the wasm's `useParts` takes: the parts, and the feeds requested early (early.js). */
export const partLoader = {
  load: loadPart,
  prefetch: prefetchPart,
  takeEarly,
};
