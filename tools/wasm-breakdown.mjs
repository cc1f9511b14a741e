// Where a wasm's bytes go, from its name section: code bytes per crate and the largest functions,
// plus the data segments (strings and tables). Reads wasm-bindgen's output in pkg/, which still
// has its names (dist/ strips them); sizes are raw, before wasm-opt and gzip, so they rank the
// candidates for lazily loaded parts rather than give their exact share of the download.
//   node tools/wasm-breakdown.mjs pkg/release_embed_bg.wasm [rows] [depth]
// A depth of 3 groups the code by crate::module::submodule instead of by crate.
import { readFileSync } from "node:fs";

const [file, rowsArg, depthArg] = process.argv.slice(2);
const rows = Number(rowsArg || 12);
// 1 groups by crate; 3 by crate::module::submodule for v0-mangled names.
const depth = Number(depthArg || 1);
const bytes = readFileSync(file);
let at = 8;

function leb() {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return result;
  }
}
const name = () => {
  const len = leb();
  const text = bytes.toString("utf8", at, at + len);
  at += len;
  return text;
};

let importedFunctions = 0;
const bodies = [];
const names = new Map();
let data = 0;
while (at < bytes.length) {
  const id = bytes[at++];
  const size = leb();
  const end = at + size;
  if (id === 2) {
    for (let n = leb(); n > 0; n--) {
      name();
      name();
      const kind = bytes[at++];
      if (kind === 0) (importedFunctions++, leb());
      else if (kind === 1) (at++, bytes[at++] & 1 ? (leb(), leb()) : leb());
      else if (kind === 2) (bytes[at++] & 1 ? (leb(), leb()) : leb());
      else if (kind === 3) at += 2;
      else leb();
    }
  } else if (id === 10) {
    for (let n = leb(); n > 0; n--) {
      const len = leb();
      bodies.push(len);
      at += len;
    }
  } else if (id === 11) {
    data = size;
  } else if (id === 0 && name() === "name") {
    while (at < end) {
      const sub = bytes[at++];
      const length = leb();
      const subEnd = at + length;
      if (sub === 1) for (let n = leb(); n > 0; n--) names.set(leb(), name());
      at = subEnd;
    }
  }
  at = end;
}

/** The crate and the modules after it in a v0-mangled symbol (`_RNv…Cs<hash>_13release_embed3web4view…`):
 * the identifiers that follow the crate's, up to the first back-reference or type. */
function v0Path(symbol) {
  const found = /C(?:s[0-9a-zA-Z]*_)?(\d+)([a-zA-Z_][a-zA-Z0-9_]*)/.exec(symbol);
  if (!found) return null;
  const path = [found[2].slice(0, Number(found[1]))];
  let rest = found[2].slice(Number(found[1]));
  for (let m; (m = /^(\d+)(.*)$/.exec(rest)) && m[2].length >= Number(m[1]); ) {
    path.push(m[2].slice(0, Number(m[1])));
    rest = m[2].slice(Number(m[1]));
  }
  return path;
}

/** The crate of a legacy-mangled Rust symbol (`_ZN4core3fmt...`); "other" when not Rust. */
function crateOf(symbol) {
  if (symbol.startsWith("_R")) return (v0Path(symbol) || ["other"]).slice(0, depth).join("::");
  const legacy = /^_ZN(\d+)/.exec(symbol);
  if (legacy) return symbol.slice(3 + legacy[1].length, 3 + legacy[1].length + Number(legacy[1]));
  // Demangled already (wasm-bindgen keeps readable names): `<crate[hash]::path as ...>::f`.
  const generic = /^<*(?:&(?:mut )?)?([a-z_][a-z0-9_]*(?:\[[0-9a-f]+\])?(?:::[a-z_][a-z0-9_]*)*)::/.exec(symbol);
  return generic ? generic[1].replace(/\[[0-9a-f]+\]/g, "").split("::").slice(0, depth).join("::") : symbol.startsWith("__wbg") || symbol.startsWith("__wbindgen") ? "wasm_bindgen" : "other";
}

/** A readable name: the mangled path's parts joined with `::`, without its hash. */
function readable(symbol) {
  if (!symbol.startsWith("_ZN")) return symbol.replace(/\[[0-9a-f]+\]/g, "");
  const parts = [];
  let i = 3;
  while (/\d/.test(symbol[i])) {
    const len = /^\d+/.exec(symbol.slice(i))[0];
    i += len.length;
    parts.push(symbol.slice(i, i + Number(len)));
    i += Number(len);
  }
  if (/^h[0-9a-f]{16}$/.test(parts.at(-1))) parts.pop();
  return parts.join("::").replace(/\$LT\$/g, "<").replace(/\$GT\$/g, ">").replace(/\$u20\$/g, " ").replace(/\.\./g, "::");
}

const byCrate = new Map();
const functions = bodies.map((size, i) => {
  const symbol = names.get(importedFunctions + i) || `function ${importedFunctions + i}`;
  const crate = crateOf(symbol);
  byCrate.set(crate, (byCrate.get(crate) || 0) + size);
  return { size, symbol: readable(symbol) };
});
const code = bodies.reduce((a, b) => a + b, 0);
const pct = (n) => `${((100 * n) / bytes.length).toFixed(1)}%`.padStart(6);
console.log(`${file}: ${bytes.length} bytes raw; code ${code}, data ${data}`);
console.log("  code by crate:");
for (const [crate, size] of [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
  console.log(`    ${crate.padEnd(28)} ${String(size).padStart(8)} ${pct(size)}`);
}
console.log(`    ${"data (strings, tables)".padEnd(28)} ${String(data).padStart(8)} ${pct(data)}`);
console.log("  largest functions:");
for (const f of functions.sort((a, b) => b.size - a.size).slice(0, Math.ceil(rows / 2))) {
  console.log(`    ${String(f.size).padStart(8)}  ${f.symbol.slice(0, 100)}`);
}
