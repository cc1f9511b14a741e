// The demo page's own script (a file, not inline, so the page works under a strict CSP).
const button = document.getElementById("copy-snippet");
const status = document.getElementById("snippet-status");
button?.addEventListener("click", async () => {
  const text = document.getElementById("snippet").textContent;
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = "Snippet copied";
  } catch {
    status.textContent = "Select the snippet and copy it with Ctrl+C";
  }
});

// The switches set the elements' own attributes, as a site would: language and theme on both
// widgets, the layout on the newsroom.
const widgets = [document.getElementById("news"), document.getElementById("latest")];
const setAttr = (name, targets = widgets) => (event) => {
  for (const widget of targets) {
    if (event.target.value) widget.setAttribute(name, event.target.value);
    else widget.removeAttribute(name);
  }
};
document.getElementById("demo-lang")?.addEventListener("change", setAttr("lang"));
document.getElementById("demo-theme")?.addEventListener("change", setAttr("theme"));
document.getElementById("demo-layout")?.addEventListener("change", setAttr("layout", widgets.slice(0, 1)));
