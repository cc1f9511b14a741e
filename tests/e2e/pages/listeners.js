// Puts two widgets on the page: `subject`, which the test's listener changes, and `sentinel`,
// which must keep working whatever happens to the other (they share one wasm instance).
// `?via=tag` embeds them with the script tag, `?via=mount` with the npm module's mount();
// `?src=` is the subject's feed. Handles are in `window.handles` for the listener.
const params = new URLSearchParams(location.search);
const src = params.get("src") || "/releases.json";
const widgets = [
  ["subject", "home", { src, pageSize: 5 }],
  ["sentinel", "sentinel-home", { src: "/releases.json", pageSize: 3 }],
];
window.handles = {};

if (params.get("via") === "mount") {
  const { mount } = await import("/dist/npm/release-embed.mjs");
  for (const [id, where, options] of widgets) {
    const element = document.createElement("div");
    element.id = id;
    document.getElementById(where).append(element);
    window.handles[id] = await mount(element, { ...options, urlKey: id });
  }
} else {
  for (const [id, where, options] of widgets) {
    const element = document.createElement("release-embed");
    element.id = id;
    element.setAttribute("src", options.src);
    element.setAttribute("page-size", String(options.pageSize));
    document.getElementById(where).append(element);
  }
  const script = document.createElement("script");
  script.src = "/dist/release-embed.js";
  document.head.append(script);
}
