// A widget's feed, requested beside the list view's wasm instead of after it. The element (and
// mount()) starts the request as soon as it knows the address; on a slow connection the feed then
// arrives while the wasm downloads and compiles, instead of one round trip and its whole transfer
// after. The wasm takes the request as its first try (src/web/fetch.rs): it reads the body with
// its own size limit and deadline, and aborts it through the controller when the widget no longer
// needs it. A request nobody takes (the element left the page before the wasm started) is aborted.

/** Absolute address → { response: Promise<Response>, controller: AbortController }, not yet taken. */
const early = new Map();

const absolute = (src) => {
  try {
    return new URL(src, document.baseURI).href;
  } catch {
    return null;
  }
};

/** Starts fetching `src` (once per address until it is taken). */
export function fetchEarly(src) {
  const url = src && absolute(src);
  if (!url || early.has(url)) return;
  const controller = new AbortController();
  const response = fetch(url, { signal: controller.signal });
  // A failure is the widget's to report, when it takes the request.
  response.catch(() => {});
  early.set(url, { response, controller });
}

/** The request for `url` started early, once; undefined if there is none. */
export function takeEarly(url) {
  const request = early.get(url);
  early.delete(url);
  return request;
}

/** The response promise of the request for `src` started early and not yet taken, if any. */
export function peekEarly(src) {
  const url = src && absolute(src);
  return url ? early.get(url)?.response : undefined;
}

/**
 * Calls `seen` with the first byte that is not white space of the early request for `src`, read
 * from a copy of the response (the widget reads the original); nothing if there is none.
 */
export function sniffEarly(src, seen) {
  peekEarly(src)
    ?.then(async (response) => {
      const reader = response.clone().body?.getReader();
      if (!reader) return;
      for (;;) {
        const { done, value } = await reader.read();
        const first = done ? undefined : value.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf);
        if (done || first !== undefined) {
          reader.cancel().catch(() => {});
          if (first !== undefined) seen(String.fromCharCode(first));
          return;
        }
      }
    })
    // The widget reports a failed request; a response it has started reading cannot be copied.
    .catch(() => {});
}

/** Aborts the request for `src` if nothing took it. */
export function dropEarly(src) {
  const url = src && absolute(src);
  if (url) takeEarly(url)?.controller.abort();
}
