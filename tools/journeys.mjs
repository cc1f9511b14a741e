// The bytes each reader's journey downloads, gzip -9, from dist/ and the build's table of which
// chunk files each split needs (pkg/chunk-splits.json): the list for each feed format, the list of
// an archive, and a release opened. Feeds and archive pieces are data and not counted.
//   node tools/journeys.mjs DIR [BUDGET.json]   with a budget, fails when a journey is over it
import { readdirSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";

const [dir = "dist", budgetFile] = process.argv.slice(2);
const files = readdirSync(dir);
const splits = JSON.parse(readFileSync("pkg/chunk-splits.json", "utf8"));
const find = (pattern, what) => {
  const file = files.find((f) => pattern.test(f));
  if (!file) throw new Error(`journeys: no ${what} in ${dir}/`);
  return file;
};
const chunk = (stem) => find(new RegExp(`^release-embed-${stem.replaceAll("_", "-")}\\.[0-9a-f]{12}\\.wasm$`), `chunk ${stem}`);
const split = (name) => {
  if (!splits[name]) throw new Error(`journeys: the build has no split "${name}"`);
  return splits[name].map(chunk);
};
const list = ["release-embed.js", find(/^release-embed\.[0-9a-f]{12}\.wasm$/, "list view wasm")];

const JOURNEYS = {
  "native JSON: first list": list,
  "RSS or Atom: first list": [...list, ...split("xml")],
  "JSON Feed: first list": [...list, ...split("jsonfeed")],
  "WordPress: first list": [...list, ...split("wordpress")],
  "archive: first list": [
    ...list,
    ...split("archive"),
    find(/^release-embed-archive\.[0-9a-f]{12}\.wasm$/, "archive part"),
    find(/^release-embed-archive-worker\.[0-9a-f]{12}\.js$/, "archive worker"),
  ],
  "native JSON: a release opened": [...list, ...split("body")],
};

const sizes = new Map(files.filter((f) => /\.(js|wasm)$/.test(f)).map((f) => {
  const bytes = readFileSync(`${dir}/${f}`);
  // gzip(1) rather than zlib, so the figures match tools/size.sh's to the byte.
  return [f, { raw: bytes.length, gzip: execFileSync("gzip", ["-9c", `${dir}/${f}`]).length }];
}));
const budget = budgetFile ? JSON.parse(readFileSync(budgetFile, "utf8")) : {};
let over = 0;
console.log(`${"journey (code fetched, gzip -9)".padEnd(36)} ${"files".padStart(5)} ${"raw".padStart(9)} ${"gzip".padStart(9)}`);
for (const [name, needed] of Object.entries(JOURNEYS)) {
  const unique = [...new Set(needed)];
  const raw = unique.reduce((sum, f) => sum + sizes.get(f).raw, 0);
  const gzip = unique.reduce((sum, f) => sum + sizes.get(f).gzip, 0);
  const limit = budget[name];
  const flag = limit !== undefined && gzip > limit ? `  OVER its ceiling of ${limit}` : "";
  if (flag) over++;
  console.log(`${name.padEnd(36)} ${String(unique.length).padStart(5)} ${String(raw).padStart(9)} ${String(gzip).padStart(9)}${flag}`);
}
if (budgetFile) {
  const missing = Object.keys(JOURNEYS).filter((name) => budget[name] === undefined);
  if (missing.length) {
    console.error(`journeys: ${budgetFile} has no ceiling for: ${missing.join("; ")}`);
    process.exit(1);
  }
}
if (over) {
  console.error(`journeys: ${over} journey(s) over their ceiling (${budgetFile}); raise a ceiling only as a decision`);
  process.exit(1);
}
