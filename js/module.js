// The npm package's entry. `import "release-embed"` defines <release-embed>;
// `import { mount } from "release-embed"` renders into any element with a JS handle.
import { defineElement, dispose, Embed, fetchPartsFor, fetchReaderFor, loadWasm } from "./element.js";
import { configureParts } from "./parts.js";
import { readInline } from "./inline.js";
import { configureChunks } from "./chunks.js";
import { CHUNK_FILES, CHUNK_SPLITS } from "../pkg/chunks.module.js";
import { dropEarly, fetchEarly } from "./early.js";
import { keyFirst, showFirst } from "./first.js";

// Bundlers (Vite, webpack, Rollup) see this pattern and ship each wasm as an asset. Their sha384
// (WASM_INTEGRITY, ARCHIVE_INTEGRITY, and each chunk's in pkg/chunks.module.js) are put in by the build.
const wasmUrl = new URL("./release-embed.wasm", import.meta.url);
// The archive part's worker is written `new Worker(new URL(…))` for bundlers to ship it as a
// worker of its own (it imports the part's glue and the engine); a page that may start no worker
// imports the same script instead.
configureParts({
  archive: {
    url: new URL("./release-embed-archive.wasm", import.meta.url),
    integrity: ARCHIVE_INTEGRITY,
    worker: {
      create: () => new Worker(new URL("./release-embed-archive-worker.js", import.meta.url), { type: "module" }),
      load: () => import("./release-embed-archive-worker.js"),
    },
  },
}, readInline);
configureChunks(CHUNK_FILES, CHUNK_SPLITS, import.meta.url);
defineElement(wasmUrl, WASM_INTEGRITY);

/** Option name → what the wasm side calls it; `feed` is sent as JSON text. */
const OPTIONS = ["src", "feed", "format", "release", "pageSize", "filters", "share", "lang", "timeout", "headingLevel", "sectionLabel", "pages", "urlKey", "maxBytes",
  "layout", "limit", "moreHref", "moreLabel", "open", "subscribeHref", "subscribeLabel"];

function toEmbedOptions(options) {
  if (options === null || typeof options !== "object") {
    throw new TypeError("release-embed: options must be an object, such as { src: \"/releases.json\" }");
  }
  const out = {};
  for (const [key, value] of Object.entries(options)) {
    if (!OPTIONS.includes(key)) {
      throw new TypeError(`release-embed: unknown option "${key}"; known options: ${OPTIONS.join(", ")}`);
    }
    if (value === undefined) continue;
    if (key === "feed") out.feedText = typeof value === "string" ? value : JSON.stringify(value);
    else if ((key === "filters" || key === "share") && Array.isArray(value)) out[key] = value.join(" ");
    else out[key] = value;
  }
  if (!out.src && !out.feedText) throw new TypeError("release-embed: give a feed address (src) or a feed object (feed)");
  return out;
}

/**
 * Renders releases into `element` (its shadow root) and resolves with a handle.
 * @param {Element} element
 * @param {import("./release-embed").MountOptions} options
 */
export async function mount(element, options) {
  if (!(element instanceof Element)) throw new TypeError("release-embed: mount() needs an element to render into");
  // The options as given; what the wasm side gets is derived from them each time.
  let given = options;
  const first = toEmbedOptions(given);
  if (!first.feedText) {
    fetchEarly(first.src);
    fetchReaderFor(first.src, first.format);
    showFirst(element, first);
  }
  let embed;
  try {
    fetchPartsFor(first.release, first.urlKey, first.src);
    await loadWasm(wasmUrl, WASM_INTEGRITY);
    embed = new Embed(element, first);
  } finally {
    // Taken by the widget as it started; aborted if it did not start.
    dropEarly(first.src);
  }
  const live = () => {
    if (!embed) throw new Error("release-embed: this widget was destroyed");
    return embed;
  };
  return {
    element,
    setOptions(more) {
      const next = toEmbedOptions({ ...given, ...more });
      live().update(next);
      keyFirst(element, next);
      given = { ...given, ...more };
    },
    setQuery(query) {
      live().setQuery(String(query));
    },
    setFilters(filters) {
      live().setFilters(filters);
    },
    open(id) {
      live().open(id ?? undefined);
    },
    refresh() {
      live().refresh();
    },
    destroy() {
      if (embed) dispose(embed);
      embed = null;
    },
  };
}
