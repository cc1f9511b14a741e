// Injected by bench/run.mjs (page.addInitScript) into every benchmark page before the page's own
// scripts run. Everything is timed in-page with performance.now(), whose origin is the start of
// the navigation. "Painted" means: a message posted from the first requestAnimationFrame after
// the DOM change arrives, i.e. just after the frame that shows the change was painted.
//
// window.__bench:
//   load      → promise of { what: "list", detected, painted } or { what: "error", message }
//   ready     → promise of { what: "ready", detected, painted } (widget: an enabled input.re-search;
//               baseline: .count has text, set on List.js's "updated" event) or { what: "error" }
//   hasSearch() → whether a search box exists at all (enabled or not)
//   armKey()  → promise of { ms, domMs, changed } for the next keystroke (see below)
//   longtasks → [[startTime, duration], ...] from a PerformanceObserver("longtask")
//   wasmBytes() → byte length of every WebAssembly.Memory the page instantiated
(() => {
  if (window.__bench) return;
  const mode = location.pathname.startsWith("/widget/") ? "widget" : "baseline";
  const B = (window.__bench = { mode, longtasks: [], memories: [], errors: [] });
  const now = () => performance.now();
  // The frame that shows a change starts with its requestAnimationFrame callbacks and ends with
  // paint; a message posted from the callback is delivered after that paint.
  const paint = () =>
    new Promise((done) =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => done(now());
        channel.port2.postMessage(0);
      }),
    );

  // Long tasks (50 ms or more) on the main thread.
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) B.longtasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch (error) {
    B.errors.push(`longtask observer: ${error}`);
  }

  // WebAssembly linear memory: keep every exported memory the page instantiates.
  const grab = (result) => {
    try {
      const instance = result instanceof WebAssembly.Instance ? result : result && result.instance;
      const memory = instance && instance.exports && instance.exports.memory;
      if (memory instanceof WebAssembly.Memory && !B.memories.includes(memory)) B.memories.push(memory);
    } catch {}
    return result;
  };
  for (const name of ["instantiate", "instantiateStreaming"]) {
    const original = WebAssembly[name];
    if (typeof original !== "function") continue;
    WebAssembly[name] = function (...args) {
      return original.apply(this, args).then(grab);
    };
  }
  B.wasmBytes = () => B.memories.reduce((sum, m) => sum + m.buffer.byteLength, 0);

  // The root to watch: the widget's open shadow root (caught when it is attached, or found by
  // polling with requestAnimationFrame), or the document for the baseline.
  let rootPromise;
  if (mode === "widget") {
    let found;
    rootPromise = new Promise((resolve) => (found = resolve));
    const attach = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (init) {
      const root = attach.call(this, init);
      if (this.localName === "release-embed") found(root);
      return root;
    };
    const poll = () => {
      const root = document.querySelector("release-embed")?.shadowRoot;
      if (root) found(root);
      else requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  } else {
    rootPromise = Promise.resolve(document);
  }
  const root = () => rootPromise;

  const ITEM = mode === "widget" ? ".re-item" : ".list li";
  const ERROR = mode === "widget" ? "[role=alert], .re-error" : "#releases .error";
  const isReady =
    mode === "widget"
      ? (r) => r.querySelector("input.re-search:not([disabled])")
      : (r) => r.querySelector(".count")?.textContent.trim();

  /** Resolves with { what, detected } on the first DOM state where test(root) names an outcome. */
  const watch = (test) =>
    root().then(
      (r) =>
        new Promise((resolve) => {
          let observer = null;
          const check = () => {
            const what = test(r);
            if (!what) return false;
            observer?.disconnect();
            resolve({ what, detected: now(), root: r });
            return true;
          };
          if (check()) return;
          observer = new MutationObserver(check);
          observer.observe(r, { childList: true, subtree: true, attributes: true, characterData: true });
        }),
    );

  const outcome = (kind, isThere) => (r) => (isThere(r) ? kind : r.querySelector(ERROR) ? "error" : null);
  const settle = ({ what, detected, root: r }) =>
    what === "error"
      ? { what, message: r.querySelector(ERROR).textContent.trim().slice(0, 300) }
      : paint().then((painted) => ({ what, detected, painted }));
  B.load = watch(outcome("list", (r) => r.querySelector(ITEM))).then(settle);
  B.ready = watch(outcome("ready", isReady)).then(settle);
  B.hasSearch = () => {
    const r = mode === "widget" ? document.querySelector("release-embed")?.shadowRoot : document;
    return Boolean(r && r.querySelector(mode === "widget" ? "input.re-search" : "input.search"));
  };
  B.itemCount = () => {
    const r = mode === "widget" ? document.querySelector("release-embed")?.shadowRoot : document;
    return r ? r.querySelectorAll(ITEM).length : 0;
  };

  /**
   * Arms the measurement of the next keystroke: the time from its first keydown (a capturing
   * listener on document; keyboard events are composed, so they reach it from inside the shadow
   * root) to the paint after the first DOM mutation in the results (widget: its shadow root;
   * baseline: .list and .count). Without a mutation within 500 ms: the paint after the keydown,
   * reported with changed: false.
   */
  B.armKey = () =>
    root().then(
      (r) =>
        new Promise((resolve) => {
          const targets = mode === "widget" ? [r] : [document.querySelector(".list"), document.querySelector(".count")];
          let t0 = null;
          let timer = 0;
          let done = false;
          let dom = null;
          const finish = (changed, t) => {
            if (done) return;
            done = true;
            observer.disconnect();
            document.removeEventListener("keydown", onKey, true);
            clearTimeout(timer);
            resolve({ ms: t - t0, domMs: dom, changed });
          };
          const onKey = () => {
            if (t0 !== null) return;
            t0 = now();
            const painted = paint();
            timer = setTimeout(() => painted.then((t) => finish(false, t)), 500);
          };
          const observer = new MutationObserver(() => {
            if (t0 === null || done) return;
            dom = now() - t0;
            observer.disconnect();
            clearTimeout(timer);
            paint().then((t) => finish(true, t));
          });
          for (const target of targets) {
            if (target) observer.observe(target, { childList: true, subtree: true, attributes: true, characterData: true });
          }
          document.addEventListener("keydown", onKey, true);
        }),
    );
})();
