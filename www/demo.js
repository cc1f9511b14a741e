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

// The language and theme switches set the element's own attributes, as a site would.
const widget = document.getElementById("news");
const setAttr = (name) => (event) => {
  if (event.target.value) widget.setAttribute(name, event.target.value);
  else widget.removeAttribute(name);
};
document.getElementById("demo-lang")?.addEventListener("change", setAttr("lang"));
document.getElementById("demo-theme")?.addEventListener("change", setAttr("theme"));
