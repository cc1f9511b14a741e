// The <release-embed> custom element: a thin shell that reads its attributes into one options
// object and hands it to the Rust `Embed`. Everything the reader sees is made in Rust.
import init, { Embed, useParts } from "../pkg/release_embed.js";
import { fetchChecked, loadPart, partLoader } from "./parts.js";
import { dropEarly, fetchEarly, sniffEarly } from "./early.js";
import { prefetchChunk } from "./chunks.js";
import { keepFirst, keyFirst, showFirst, styleSheet } from "./first.js";

/** Attribute name → option name, for every attribute the element watches. */
const ATTRIBUTES = {
  src: "src",
  release: "release",
  timeout: "timeout",
  "heading-level": "headingLevel",
  "section-label": "sectionLabel",
  "page-size": "pageSize",
  filters: "filters",
  format: "format",
  pages: "pages",
  share: "share",
  lang: "lang",
  "max-bytes": "maxBytes",
  layout: "layout",
  limit: "limit",
  "more-href": "moreHref",
  "more-label": "moreLabel",
  open: "open",
  "subscribe-href": "subscribeHref",
  "subscribe-label": "subscribeLabel",
};

function optionsOf(element) {
  const options = { urlKey: element.id || undefined };
  for (const [attribute, option] of Object.entries(ATTRIBUTES)) {
    const value = element.getAttribute(attribute);
    if (value !== null) options[option] = value;
  }
  return options;
}

/** Shown with textContent (never HTML) when the wasm itself cannot start. */
function showStartupFailure(element, error) {
  console.error("release-embed: the widget could not start:", error);
  const root = element.shadowRoot || element.attachShadow({ mode: "open" });
  const message = document.createElement("p");
  message.setAttribute("role", "alert");
  message.textContent = "Releases could not be loaded: the widget could not start in this browser.";
  root.replaceChildren(message);
  element.removeAttribute("aria-busy");
}

/**
 * Takes a widget down at once (safe at any time, from inside its own events' listeners too), and
 * frees its memory once no call into it can still be running.
 */
export function dispose(embed) {
  embed.destroy();
  queueMicrotask(() => embed.free());
}

let ready;
/**
 * Instantiates the wasm once per page, however many elements and mount() calls ask for it; its
 * sha384 `integrity` is checked when given.
 */
export const loadWasm = (wasmUrl, integrity) =>
  (ready ??= init({ module_or_path: fetchChecked(wasmUrl, integrity) }).then(() => useParts({ ...partLoader, keepFirst, styleSheet })));

/**
 * Fetches now, beside the list view's wasm, what the first view will need: the body chunk for a
 * widget that opens on a release (its `release` option, or a deep link in the page URL), the
 * archive part and the list view's archive chunk for an address ending in archive.json (an
 * archive's manifest). None is waited for: the feed or the manifest comes first.
 */
export function fetchPartsFor(release, urlKey, src) {
  if (/(^|\/)archive\.json([?#]|$)/.test(src || "")) {
    loadPart("archive").catch(() => {});
    prefetchChunk("archive");
  }
  const deepLink = new URLSearchParams(location.search).has(`${urlKey || "re"}-release`);
  if (release || deepLink) prefetchChunk("body");
}

/** The `format` values (src/feed/mod.rs, Format::from_name) whose reader is a chunk of its own. */
const READER_CHUNKS = { rss: "xml", rss2: "xml", rss1: "xml", rdf: "xml", atom: "xml", jsonfeed: "jsonfeed", "json-feed": "jsonfeed", "json feed": "jsonfeed", wordpress: "wordpress", wp: "wordpress" };

/**
 * The feed's reader is fetched beside the feed, not after it: named by the `format` attribute, or
 * guessed from the feed's first byte (`<` is XML, `[` a WordPress list; a `{` can be the native
 * format, whose reader is in the list view's wasm, or JSON Feed, told apart only by the wasm).
 * Call after `fetchEarly(src)`.
 */
export function fetchReaderFor(src, format) {
  const named = READER_CHUNKS[(format || "").trim().toLowerCase()];
  if (named) return prefetchChunk(named);
  if (format && !["auto", "native", "release-embed"].includes(format.trim().toLowerCase())) return;
  sniffEarly(src, (first) => (first === "<" ? prefetchChunk("xml") : first === "[" ? prefetchChunk("wordpress") : undefined));
}

export { Embed };

/**
 * Defines <release-embed>, loading the wasm from `wasmUrl` the first time an element connects.
 * Safe to call twice (a page that includes the script twice keeps the first definition).
 */
export function defineElement(wasmUrl, integrity) {
  if (customElements.get("release-embed")) return;
  const start = () => loadWasm(wasmUrl, integrity);

  class ReleaseEmbedElement extends HTMLElement {
    static get observedAttributes() {
      return [...Object.keys(ATTRIBUTES), "id"];
    }

    #embed = null;

    connectedCallback() {
      const src = this.getAttribute("src");
      fetchPartsFor(this.getAttribute("release"), this.id, src);
      if (!this.#embed) {
        fetchEarly(src);
        fetchReaderFor(src, this.getAttribute("format"));
        // The list shown last time, or an archive's first page, until the wasm takes over.
        showFirst(this, optionsOf(this));
      }
      start().then(
        () => {
          // Removed again before the wasm was ready, or already running.
          if (!this.isConnected || this.#embed) return;
          try {
            this.#embed = new Embed(this, optionsOf(this));
          } catch (error) {
            showStartupFailure(this, error);
          }
        },
        (error) => showStartupFailure(this, error),
      ).finally(() => {
        // The widget took its request as it started; one left over (the element left the page,
        // the wasm failed) is not downloaded for nothing.
        dropEarly(src);
      });
    }

    attributeChangedCallback() {
      if (!this.#embed) return;
      keyFirst(this, optionsOf(this));
      try {
        this.#embed.update(optionsOf(this));
      } catch (error) {
        console.error(error);
      }
    }

    // A move (appendChild to another parent) disconnects and reconnects at once: the widget is
    // kept, with its feed and state. Only an element still out of the page a microtask later is
    // taken down.
    disconnectedCallback() {
      queueMicrotask(() => {
        if (this.isConnected || !this.#embed) return;
        dispose(this.#embed);
        this.#embed = null;
      });
    }
  }

  customElements.define("release-embed", ReleaseEmbedElement);
}
