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
