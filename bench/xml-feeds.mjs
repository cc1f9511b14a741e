// The benchmark's 20 releases as RSS 2.0 and as Atom, for the first visit to an XML feed: the same
// titles, dates, summaries, topics and addresses as bench/out/feed-20.json, each Markdown body
// turned into HTML by marked (the library the baseline page uses), as a CMS would publish it.
//   writeXmlFeeds(jsonPath) writes <stem>.rss.xml and <stem>.atom.xml beside it.
import { readFileSync, writeFileSync } from "node:fs";
import { marked } from "marked";

const xml = (text) =>
  String(text ?? "").replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]);

/** `2010-12-24` (or a full timestamp) as RFC 822, which RSS 2.0 requires. */
const rfc822 = (date) => new Date(date.length === 10 ? `${date}T12:00:00Z` : date).toUTCString().replace("GMT", "+0000");
const iso = (date) => new Date(date.length === 10 ? `${date}T12:00:00Z` : date).toISOString();

function rss(feed) {
  const items = feed.releases.map((r) => [
    "  <item>",
    `    <title>${xml(r.title)}</title>`,
    `    <link>${xml(r.url)}</link>`,
    `    <guid isPermaLink="false">${xml(r.id)}</guid>`,
    `    <pubDate>${rfc822(r.date)}</pubDate>`,
    ...(r.tags ?? []).map((t) => `    <category>${xml(t)}</category>`),
    r.summary ? `    <description>${xml(r.summary)}</description>` : "",
    r.body ? `    <content:encoded>${xml(marked.parse(r.body))}</content:encoded>` : "",
    "  </item>",
  ].filter(Boolean).join("\n"));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
    "<channel>",
    `  <title>${xml(feed.agency?.name)}</title>`,
    "  <link>https://agency.example.gov/news/</link>",
    `  <description>${xml(feed.agency?.name)}: press releases</description>`,
    ...items,
    "</channel>",
    "</rss>",
    "",
  ].join("\n");
}

function atom(feed) {
  const newest = feed.releases.map((r) => iso(r.date)).sort().at(-1);
  const entries = feed.releases.map((r) => [
    "  <entry>",
    `    <title>${xml(r.title)}</title>`,
    `    <link rel="alternate" href="${xml(r.url)}"/>`,
    `    <id>tag:agency.example.gov,2026:${xml(r.id)}</id>`,
    `    <updated>${iso(r.date)}</updated>`,
    ...(r.tags ?? []).map((t) => `    <category term="${xml(t)}"/>`),
    r.summary ? `    <summary>${xml(r.summary)}</summary>` : "",
    r.body ? `    <content type="html">${xml(marked.parse(r.body))}</content>` : "",
    "  </entry>",
  ].filter(Boolean).join("\n"));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <title>${xml(feed.agency?.name)}</title>`,
    "  <id>https://agency.example.gov/news/</id>",
    `  <updated>${newest}</updated>`,
    ...entries,
    "</feed>",
    "",
  ].join("\n");
}

export function writeXmlFeeds(jsonPath) {
  const feed = JSON.parse(readFileSync(jsonPath, "utf8"));
  const stem = jsonPath.replace(/\.json$/, "");
  writeFileSync(`${stem}.rss.xml`, rss(feed));
  writeFileSync(`${stem}.atom.xml`, atom(feed));
}
