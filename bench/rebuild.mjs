// What a rebuild writes after one change to a feed: docs/archive.md's "Rebuilds" table.
//   node --max-old-space-size=8192 bench/rebuild.mjs [--size 10000] [--body-words W]
// Builds bench/out/feed-<N>.json (make it first with bench/generate.mjs) into a first archive,
// then, for each change, copies that archive (`cp -a`, as a host keeps it between builds),
// builds the changed feed into the copy and reports the command's "changed … bytes" over the
// archive's bytes. Uses the release build of the command (make cli).
import { execFileSync } from "node:child_process";
import { readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { BENCH, OUT } from "./generate.mjs";

const CLI = join(BENCH, "..", "target", "release", "release-embed");

function options(argv) {
  const o = { size: 10000, bodyWords: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--size") o.size = Number(argv[++i]);
    else if (argv[i] === "--body-words") o.bodyWords = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return o;
}

/** The changes: each takes the releases (newest first) and returns the changed list. */
function changes(releases) {
  const middle = Math.floor(releases.length / 2);
  const copy = (r, id, minutes) => {
    const date = new Date(Date.parse(r.date) + minutes * 60_000).toISOString();
    return { ...r, id, date };
  };
  const newest = releases[0];
  return [
    ["added, newest, with a new topic", () => [{ ...copy(newest, "rebuild-newest", 60), tags: ["A topic never seen"] }, ...releases]],
    ["changed (a word added to its title)", () => releases.map((r, i) => (i === middle ? { ...r, title: `${r.title} again` } : r))],
    ["added, dated in the middle of the dates (backdated)", () => {
      const out = releases.slice();
      out.splice(middle, 0, copy(releases[middle], "rebuild-backdated", 30));
      return out;
    }],
    ["the same, with a new topic", () => {
      const out = releases.slice();
      out.splice(middle, 0, { ...copy(releases[middle], "rebuild-backdated", 30), tags: ["A topic never seen"] });
      return out;
    }],
    ["deleted (the middle one by date)", () => releases.filter((_, i) => i !== middle)],
  ];
}

function build(feed, dir) {
  const started = performance.now();
  const report = execFileSync(CLI, ["archive", feed, "--out", dir], { encoding: "utf8", maxBuffer: 1 << 26 }).trim();
  const total = /(\d+) files \((\d+) bytes\)/.exec(report);
  const changed = /changed (\d+) files \((\d+) bytes\)/.exec(report);
  return { seconds: (performance.now() - started) / 1000, report, files: Number(total[1]), bytes: Number(total[2]), changedFiles: Number(changed[1]), changedBytes: Number(changed[2]) };
}

const o = options(process.argv.slice(2));
const name = o.bodyWords ? `feed-${o.size}-w${o.bodyWords}` : `feed-${o.size}`;
const work = join(OUT, `rebuild-${o.size}`);
await rm(work, { recursive: true, force: true });
await mkdir(work, { recursive: true });
const first = join(work, "first");
const base = build(join(OUT, `${name}.json`), first);
console.log(`first build: ${base.files} files, ${base.bytes} bytes, ${base.seconds.toFixed(1)} s`);
const feed = JSON.parse(await readFile(join(OUT, `${name}.json`), "utf8"));
console.log(`| one release … | ${o.size.toLocaleString("en-US")} releases | rebuild, wall |\n|---|---:|---:|`);
for (const [what, change] of changes(feed.releases)) {
  const dir = join(work, "copy");
  await rm(dir, { recursive: true, force: true });
  execFileSync("cp", ["-a", first, dir]);
  const src = join(work, "changed.json");
  await writeFile(src, JSON.stringify({ ...feed, releases: change() }));
  const r = build(src, dir);
  const share = (100 * r.changedBytes) / r.bytes;
  console.log(`| ${what} | ${share.toFixed(2)} % (${r.changedFiles.toLocaleString("en-US")} files) | ${r.seconds.toFixed(1)} s |`);
}
await rm(work, { recursive: true, force: true });
