// Rewrites the loader that wasm-split-cli writes beside the split module (__wasm_split.js) so that
// it works in the classic script and in bundlers: each chunk file is fetched through js/chunks.js
// (its content-hashed name, its sha384) instead of `new URL("./file.wasm", import.meta.url)`,
// which a classic script cannot evaluate. Also writes which files each split needs, for
// prefetching.  node tools/split-loader.mjs SPLIT_DIR OUT_LOADER OUT_SPLITS_JSON
import { readFileSync, writeFileSync } from "node:fs";

const [dir, outLoader, outSplits] = process.argv.slice(2);
let js = readFileSync(`${dir}/__wasm_split.js`, "utf8");

// The splitter's fetcher for one file, as wasm-split-cli 0.2.4 writes it for --target web.
const fetcher = /\(\) => \{\s*const src = fetch\(new URL\("\.\/(\w+)\.wasm", import\.meta\.url\)\);\s*src\.catch\(\(\) => \{\}\);\s*return async \(imports\) => \(WebAssembly\.instantiateStreaming\(src, imports\)\);\s*\}/g;
js = js.replace(fetcher, (_, stem) => `chunkFetcher(${JSON.stringify(stem)})`);
if (js.includes("import.meta") || js.includes("fetch(")) {
  console.error("split-loader: the splitter's loader has a form this script does not know; check wasm-split-cli's version");
  process.exit(1);
}
js = `import { chunkFetcher } from "../js/chunks.js";\n${js}`;

// `const __chunk_4 = makeLoad(chunkFetcher("chunk_4"), []);` and
// `export const __wasm_split_load_xml = wrapAsyncCb(makeLoad(chunkFetcher("split_xml"), [__chunk_4]));`
const shared = new Map([...js.matchAll(/const (__chunk_\d+) = makeLoad\(chunkFetcher\("(\w+)"\)/g)].map((m) => [m[1], m[2]]));
const splits = {};
for (const m of js.matchAll(/export const __wasm_split_load_(\w+) = wrapAsyncCb\(makeLoad\(chunkFetcher\("(\w+)"\)\s*, \[([^\]]*)\]\)\)/g)) {
  const deps = m[3].split(",").map((d) => d.trim()).filter(Boolean).map((d) => shared.get(d));
  splits[m[1]] = [...deps, m[2]];
}
if (Object.keys(splits).length === 0) {
  console.error("split-loader: no split found in the loader");
  process.exit(1);
}
writeFileSync(outLoader, js);
writeFileSync(outSplits, JSON.stringify(splits, null, 2) + "\n");
