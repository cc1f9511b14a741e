// The chunks of the list view's wasm: code that only some journeys need (each feed reader but the
// native one), cut from the module at the split points of src/web/chunks.rs by the build. A chunk
// shares the list view's memory and function table. The splitter's loader (pkg/__wasm_split.js,
// rewritten by tools/split-loader.mjs) asks here for each file: fetched with its sha384 checked,
// once, and again after a failure (the reader's Try again). A chunk whose need is known early
// (the `format` attribute, the feed's first bytes) is fetched ahead with `prefetchChunk`.
import { fetchChecked } from "./parts.js";

/** File stem → { url, integrity }: set by the entry script from the build's table. */
let files = {};
/** Split name → the file stems it needs: its own and those it shares with other splits. */
let needs = {};
/** File stem → the response promise of a fetch started ahead and not yet used. */
const ahead = new Map();
/** File stems the loader has taken: fetching them ahead again would be wasted. */
const taken = new Set();

/**
 * The build's table (pkg/chunks.*.js): `table` maps each file stem to its address (resolved
 * against `base`) and sha384; `splits` maps each split to the stems it needs.
 */
export function configureChunks(table, splits, base) {
  files = Object.fromEntries(Object.entries(table).map(([stem, [url, integrity]]) => [stem, { url: new URL(url, base), integrity }]));
  needs = splits;
}

function fetchFile(stem) {
  const file = files[stem];
  if (!file) return Promise.reject(new Error(`release-embed: this build has no chunk "${stem}"`));
  return fetchChecked(file.url, file.integrity);
}

async function instantiate(response, imports) {
  // Streaming compiles while the bytes arrive, but only for a server that labels wasm as such.
  if (response.headers.get("Content-Type")?.split(";")[0].trim() === "application/wasm") {
    return WebAssembly.instantiateStreaming(response, imports);
  }
  return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}

/**
 * What the splitter's loader calls for the file `stem`: the fetch starts at once (or was started
 * ahead), the instantiation waits for the imports, which the loader gives once the files this one
 * depends on are in.
 */
export function chunkFetcher(stem) {
  return () => {
    taken.add(stem);
    const response = ahead.get(stem) || fetchFile(stem);
    ahead.delete(stem);
    response.catch(() => taken.delete(stem));
    return async (imports) => instantiate(await response, imports);
  };
}

/** Starts fetching the files of the split `name` that nothing has fetched yet. */
export function prefetchChunk(name) {
  for (const stem of needs[name] || []) {
    if (taken.has(stem) || ahead.has(stem)) continue;
    const response = fetchFile(stem);
    // A failed fetch ahead is forgotten, so that the load fetches the file anew.
    response.catch(() => ahead.get(stem) === response && ahead.delete(stem));
    ahead.set(stem, response);
  }
}
