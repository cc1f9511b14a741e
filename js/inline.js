// Files a bundler inlined into its script as `data:` URLs (Vite does so below 4 kB, as it does
// for some of the list view's chunks): read here, since a strict CSP's connect-src refuses to
// fetch them, and checked against their sha384 where the page can hash (a secure context);
// elsewhere the bytes came inside the page's own script. The npm package's entry hands this to
// js/parts.js.

/** The `data:` URL `href` as a Response, as a fetch of the file would give it. */
export async function readInline(href, integrity) {
  const comma = href.indexOf(",");
  const [type, ...params] = href.slice(5, comma).split(";");
  const data = href.slice(comma + 1);
  const bytes = params.includes("base64")
    ? Uint8Array.from(atob(data), (c) => c.charCodeAt(0))
    : new TextEncoder().encode(decodeURIComponent(data));
  if (integrity && globalThis.crypto?.subtle) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-384", bytes));
    if (`sha384-${btoa(String.fromCharCode(...digest))}` !== integrity) {
      throw new Error(`${href.slice(0, 40)}…: its content does not match its integrity`);
    }
  }
  return new Response(bytes, { headers: { "content-type": type || "application/octet-stream" } });
}
