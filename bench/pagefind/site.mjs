// The Pagefind contender's site: each release of bench/out/feed-<N>.json as one HTML page, the
// way a static site generator would write it, marked up for Pagefind (its documented attributes):
// data-pagefind-body on the release, data-pagefind-meta for title, date and summary,
// data-pagefind-filter for topic, office and year, data-pagefind-sort for the date.
//   import { writeSite } from "./pagefind/site.mjs"; await writeSite(feedFile, siteDir)
// The bodies are Markdown, rendered with marked (as the List.js baseline does).
import { createReadStream } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { marked } from "marked";

const escape = (s) =>
  String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

/** One release as a page. */
export function releasePage(r) {
  const filters = [
    ...(r.tags || []).map((t) => `<li data-pagefind-filter="topic">${escape(t)}</li>`),
    r.agency ? `<li data-pagefind-filter="office">${escape(r.agency)}</li>` : "",
    `<li data-pagefind-filter="year">${escape(String(r.date).slice(0, 4))}</li>`,
  ].join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(r.title)}</title></head>
<body><main data-pagefind-body data-pagefind-sort="date:${escape(r.date)}">
<h1 data-pagefind-meta="title">${escape(r.title)}</h1>
<p><time data-pagefind-meta="date">${escape(r.date)}</time> · <span data-pagefind-meta="url:${escape(r.url)}">${escape(r.agency)}</span></p>
<p data-pagefind-meta="summary">${escape(r.summary)}</p>
<ul>${filters}</ul>
${marked.parse(r.body || "")}
</main></body></html>
`;
}

/** Reads the feed (one JSON document) and writes DIR/r/<id>.html for every release; returns the count. */
export async function writeSite(feedFile, dir) {
  const chunks = [];
  for await (const chunk of createReadStream(feedFile)) chunks.push(chunk);
  const { releases } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, "r"), { recursive: true });
  for (let i = 0; i < releases.length; i += 64) {
    await Promise.all(releases.slice(i, i + 64).map((r) => writeFile(join(dir, "r", `${r.id}.html`), releasePage(r))));
  }
  return releases.length;
}
