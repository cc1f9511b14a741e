// Drops the linker's custom sections (`linking`, `reloc.*`) from a wasm file, in place. The
// release build links with --emit-relocs for wasm-split-cli, which consumes them for the module it
// splits; the parts built with the same settings would otherwise ship them (wasm-opt keeps custom
// sections it does not know).  node tools/drop-link-sections.mjs FILE
import { readFileSync, writeFileSync } from "node:fs";

const file = process.argv[2];
const bytes = readFileSync(file);
const kept = [bytes.subarray(0, 8)];
let at = 8;
const leb = () => {
  let result = 0;
  for (let shift = 0; ; shift += 7) {
    const b = bytes[at++];
    result += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return result;
  }
};
while (at < bytes.length) {
  const start = at;
  const id = bytes[at++];
  const size = leb();
  const end = at + size;
  let linker = false;
  if (id === 0) {
    const length = leb();
    const name = bytes.toString("utf8", at, at + length);
    linker = name === "linking" || name.startsWith("reloc.");
  }
  if (!linker) kept.push(bytes.subarray(start, end));
  at = end;
}
writeFileSync(file, Buffer.concat(kept));
