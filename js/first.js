// HTML first: a list on screen before the wasm arrives. Two sources, both the widget's own
// rendering (src/render), never markup a page or a feed wrote:
//   - the first list this widget showed last time on this page (the wasm hands it over through
//     keepFirst; kept in localStorage, bounded, one per page, feed and options);
//   - an archive's first page, which `release-embed archive` renders into its manifest
//     (`first_page`, docs/archive.md), read from the manifest request started early (early.js).
// Storage and an archive can still be tampered with (another page of the same origin, a
// compromised host), so the markup is parsed inert and shown only if every element and attribute
// is one the widget's list view writes, with web addresses only; else nothing is shown. The wasm
// then takes the element over (src/web/first.rs): it replaces the preview when its first view is
// ready, keeping focus, or leaves it in place when its view is the same markup.
import CSS from "../pkg/style.css";
import { peekEarly } from "./early.js";

const PREFIX = "release-embed:first:";
/** The kept lists' keys, most recent first (a JSON array). */
const INDEX = "release-embed:firsts";
const MAX_CHARS = 100_000;
const MAX_KEPT = 4;

/** element → the key its first list is kept under (set when it connects or is mounted). */
const keys = new WeakMap();

let sheet;
/** The widget's stylesheet (src/style.css, minified), for the wasm too: one per page. */
export function styleSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null; // switched off, or a sandboxed frame
  }
}

function keptKeys(store) {
  try {
    const list = JSON.parse(store.getItem(INDEX) || "[]");
    return Array.isArray(list) ? list.filter((k) => typeof k === "string") : [];
  } catch {
    return [];
  }
}

/** Called by the wasm with the first list of a load from the network (src/web/first.rs). */
export function keepFirst(host, html) {
  const key = keys.get(host);
  const store = key && storage();
  if (!store || typeof html !== "string") return;
  const list = keptKeys(store).filter((k) => k !== key);
  try {
    if (html.length > MAX_CHARS) {
      store.removeItem(PREFIX + key);
    } else {
      if (store.getItem(PREFIX + key) !== html) store.setItem(PREFIX + key, html);
      list.unshift(key);
    }
    for (const old of list.splice(MAX_KEPT)) store.removeItem(PREFIX + old);
    store.setItem(INDEX, JSON.stringify(list));
  } catch {
    // Over the quota: no copy rather than half of one.
    try {
      store.removeItem(PREFIX + key);
    } catch {}
  }
}

// What the list view writes (src/render), and nothing else.
const TAGS = new Set(
  ("section div p span a ul ol li nav h1 h2 h3 h4 h5 h6 article time mark strong em b i form label input " +
    "select option button fieldset legend img figure svg path").split(" "),
);
const ATTRIBUTES = new Set(
  ("class id role dir href src alt title datetime for type name value autocomplete spellcheck disabled checked " +
    "selected hidden multiple tabindex target rel loading decoding width height viewbox focusable d data-facet").split(" "),
);
/** Options under which an archive's first page looks as the widget will draw it. */
const ARCHIVE_OPTIONS = new Set(["src", "urlKey", "lang", "format", "share", "pages"]);
/** Options given their default value, which draw the same. */
const DEFAULTS = { pageSize: "10", headingLevel: "2" };
const INPUT_TYPES = new Set(["search", "checkbox", "radio", "date", "button", "submit"]);

const webAddress = (value) => {
  try {
    return ["http:", "https:"].includes(new URL(value, document.baseURI).protocol);
  } catch {
    return false;
  }
};

/** Parses `html` inert; the fragment if it holds only the widget's own kind of markup. */
function parseSafe(html) {
  if (typeof html !== "string" || !html || html.length > MAX_CHARS) return null;
  const template = document.createElement("template");
  template.innerHTML = html;
  const fragment = template.content;
  for (const el of fragment.querySelectorAll("*")) {
    if (!TAGS.has(el.localName)) return null;
    for (const attribute of el.attributes) {
      const [name, value] = [attribute.name.toLowerCase(), attribute.value];
      const known = ATTRIBUTES.has(name) || name.startsWith("aria-") || name.startsWith("data-re-");
      if (!known) return null;
      if ((name === "href" || name === "src") && !webAddress(value)) return null;
      if (name === "target" && value !== "_blank") return null;
      if (name === "type" && el.localName === "input" && !INPUT_TYPES.has(value)) return null;
    }
  }
  const first = fragment.firstElementChild;
  return first?.localName === "section" && first.classList.contains("re-list") ? fragment : null;
}

/** The reader's language, as the wasm finds it (src/web/view.rs, locale). */
const localeOf = (element, lang) =>
  lang || element.closest("[lang]")?.getAttribute("lang")?.trim() || navigator.language || "en";

/**
 * An archive's page was rendered without this page: its dates in English and its links as
 * `?re-…` queries. Dates become the reader's (as the wasm formats them) and links this page's,
 * under this widget's URL key.
 */
function adapt(fragment, locale, urlKey) {
  let format;
  try {
    format = new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
  } catch {}
  for (const time of fragment.querySelectorAll("time[datetime]")) {
    const [y, m, d] = time.getAttribute("datetime").slice(0, 10).split("-").map(Number);
    if (format && y && m && d) time.textContent = format.format(new Date(Date.UTC(y, m - 1, d)));
  }
  for (const a of fragment.querySelectorAll("a[href^='?']")) {
    const url = new URL(location.href);
    url.hash = "";
    for (const [name, value] of new URLSearchParams(a.getAttribute("href"))) {
      if (name.startsWith("re-")) url.searchParams.set(`${urlKey}-${name.slice(3)}`, value);
    }
    a.setAttribute("href", url.href);
  }
}

/** Puts `fragment` in the element's shadow root, styled, marked for the wasm to take over. */
function show(element, fragment, source) {
  if (element.shadowRoot) return false;
  const root = element.attachShadow({ mode: "open" });
  root.adoptedStyleSheets = [styleSheet()];
  const content = document.createElement("div");
  content.className = "re-root";
  content.setAttribute("data-re-preview", "");
  if (source !== undefined) content.reSource = source;
  // Before the wasm, the form does nothing (a search typed now is carried over to it).
  content.addEventListener("submit", (event) => event.preventDefault());
  content.append(document.importNode(fragment, true));
  root.append(content);
  element.setAttribute("aria-busy", "true");
  return true;
}

const absolute = (src) => {
  try {
    return new URL(src, document.baseURI).href;
  } catch {
    return null;
  }
};

/** Notes (again, after a change of options) the key under which `element`'s first list is kept. */
export function keyFirst(element, options) {
  const src = options.src && absolute(options.src);
  if (!src || options.feedText !== undefined) return void keys.delete(element);
  const { feedText, timeout, maxBytes, ...shaping } = options;
  const key = JSON.stringify([location.pathname, src, shaping]);
  keys.set(element, key);
  return key;
}

/**
 * Shows a first list in `element` before the wasm arrives, if there is one for it: `options` as
 * the wasm will get them (src, urlKey, and the rest). Only a list as a reader arrives on it: no
 * release, no search, filter or page in the page URL for this widget.
 */
export function showFirst(element, options) {
  const key = keyFirst(element, options);
  if (!key) return;
  const { feedText, timeout, maxBytes, ...shaping } = options;
  const src = absolute(options.src);
  if (element.shadowRoot || options.release) return;
  const urlKey = options.urlKey || "re";
  for (const name of new URLSearchParams(location.search).keys()) if (name.startsWith(`${urlKey}-`)) return;
  const store = storage();
  let kept = null;
  try {
    kept = store?.getItem(PREFIX + key) ?? null;
  } catch {}
  const fragment = kept && parseSafe(kept);
  if (fragment) return void show(element, fragment, kept);
  try {
    if (kept) store.removeItem(PREFIX + key);
  } catch {}
  // An archive: its manifest may carry the first page (from `release-embed archive`), rendered
  // with the default options only.
  const other = ([name, value]) => !ARCHIVE_OPTIONS.has(name) && String(value) !== DEFAULTS[name];
  if (Object.entries(shaping).some(other)) return;
  const manifest = /(^|\/)archive\.json([?#]|$)/.test(new URL(src).pathname) && peekEarly(src);
  if (!manifest) return;
  manifest
    .then((response) => (response.ok ? response.clone().json() : null))
    .then((json) => {
      const page = json?.first_page;
      if (!page || typeof page.html !== "string" || !element.isConnected || element.shadowRoot) return;
      const locale = localeOf(element, options.lang);
      const primary = (tag) => String(tag || "en").toLowerCase().split(/[-_]/)[0];
      if (primary(locale) !== primary(page.lang)) return;
      const fragment = parseSafe(page.html);
      if (!fragment) return console.warn("release-embed: the archive's first page is not the widget's markup; not shown");
      adapt(fragment, locale, urlKey);
      show(element, fragment);
    })
    .catch(() => {});
}
