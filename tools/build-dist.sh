#!/usr/bin/env bash
# Builds the release files into dist/: release-embed.js (classic script), the list view's wasm
# (release-embed.<hash>.wasm), each lazily loaded part (release-embed-<part>.<hash>.wasm), the
# snippet to paste, and the npm package (dist/npm). The same commit gives the same bytes, whoever
# builds it and from whichever folder (tools/wasm-cargo picks the toolchain and fixes the paths).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

# The lazily loaded parts: crate under parts/ → file name stem. Add a part here, in js/parts.js
# (PARTS) and in the entry scripts' configureParts (see the README, "How the code is laid out").
PARTS=(archive)

# Built with tools/wasm-cargo's release settings, so always in this folder (never rustup's).
out=target/debian-small/wasm32-unknown-unknown/release
export WASM_CARGO_SMALL=1
# The list view: the widget without the code the parts hold, with its split points (src/web/chunks.rs).
tools/wasm-cargo build --release --lib -p release-embed --no-default-features --features widget,split
# The parts compile (mostly one core: LTO, one codegen unit) while the list view's wasm is cut and
# optimised below; the script waits for them before it reads their wasm, and before it exits.
(for part in "${PARTS[@]}"; do
  tools/wasm-cargo build --release --lib -p "release-embed-$part"
done) &
parts_built=$!
trap 'wait' EXIT

rm -rf pkg dist && mkdir -p dist/npm
# The widget's stylesheet for the script too (js/first.js shows a list before the wasm arrives).
esbuild src/style.css --minify --log-level=warning --outfile=pkg/style.css
sha384() { echo "sha384-$(openssl dgst -sha384 -binary "$1" | openssl base64 -A)"; }
# wasm-bindgen's JS glue into pkg/ (bundled into the script below), then wasm-opt. LLVM's wasm
# uses these post-MVP features; wasm-opt must be told it may keep them.
# The linker's relocations (kept for wasm-split-cli) are dropped first: wasm-opt cannot keep them
# correct and would ship them.
# `--flatten --rereloop` first, then -Oz twice: binaryen rebuilds each function's control flow
# from scratch and -Oz then finds more to fold; 0.6 % less gzip on the list view's wasm and 1.3 %
# on the body chunk than one -Oz (docs/performance.md, Choices measured), for a longer wasm-opt
# step (seconds per wasm; the times measured on a loaded 2-core machine varied too much to quote).
shrink() { # input (changed in place), output
  node tools/drop-link-sections.mjs "$1"
  wasm-opt --flatten --rereloop -Oz -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-reference-types --enable-multivalue --strip-debug --strip-producers "$1" -o "$2"
}
optimise() { # wasm, glue dir, glue name, output, wasm-bindgen's extra arguments
  wasm-bindgen "$1" --target web --out-dir "$2" --out-name "$3" "${@:5}"
  shrink "$2/$3_bg.wasm" "$4"
}
# Each wasm's name carries a hash of its content, so it can be cached for ever; the script, whose
# address agencies paste, keeps a stable name and knows the others' names and sha384.
hashed() { # file, stem → prints the new name
  local name
  name="$2.$(sha256sum "$1" | cut -c1-12).wasm"
  mv "$1" "dist/$name"
  echo "$name"
}
# The list view is cut at its split points into the main module and the chunks (split_<name>.wasm,
# and chunk_<n>.wasm for code that several splits share). wasm-bindgen must keep the linker's
# exports (the function table, the stack pointer) that the chunks import.
wasm-split-cli --target web --out-name release_embed "$out/release_embed.wasm" pkg/split >/dev/null
optimise pkg/split/release_embed.wasm pkg release_embed dist/core.wasm --keep-lld-exports
core=$(hashed dist/core.wasm release-embed)
defines=(--define:WASM_FILE="\"$core\"" --define:WASM_INTEGRITY="\"$(sha384 "dist/$core")\"")
cp "dist/$core" dist/npm/release-embed.wasm
# The splitter's loader, made to fetch through js/chunks.js, and each chunk's file: hashed names
# for the script, plain names for the npm package (bundlers hash them), each with its sha384.
node tools/split-loader.mjs pkg/split pkg/__wasm_split.js pkg/chunk-splits.json
script_table="" module_table=""
for chunk in pkg/split/*.wasm; do
  stem=$(basename "$chunk" .wasm)
  [ "$stem" = release_embed ] && continue
  name=release-embed-${stem//_/-}
  shrink "$chunk" "dist/$stem.wasm"
  file=$(hashed "dist/$stem.wasm" "$name")
  integrity=$(sha384 "dist/$file")
  cp "dist/$file" "dist/npm/$name.wasm"
  script_table+="  \"$stem\": [\"$file\", \"$integrity\"],"$'\n'
  module_table+="  \"$stem\": [new URL(\"./$name.wasm\", import.meta.url), \"$integrity\"],"$'\n'
done
splits=$(cat pkg/chunk-splits.json)
printf '// Written by tools/build-dist.sh.\nexport const CHUNK_FILES = {\n%s};\nexport const CHUNK_SPLITS = %s;\n' "$script_table" "$splits" > pkg/chunks.script.js
printf '// Written by tools/build-dist.sh.\nexport const CHUNK_FILES = {\n%s};\nexport const CHUNK_SPLITS = %s;\n' "$module_table" "$splits" > pkg/chunks.module.js
wait "$parts_built"
for part in "${PARTS[@]}"; do
  optimise "$out/release_embed_$part.wasm" "pkg/$part" "release_embed_$part" "dist/$part.wasm"
  file=$(hashed "dist/$part.wasm" "release-embed-$part")
  upper=$(echo "$part" | tr '[:lower:]' '[:upper:]')
  defines+=(--define:"${upper}_FILE"="\"$file\"" --define:"${upper}_INTEGRITY"="\"$(sha384 "dist/$file")\"")
  cp "dist/$file" "dist/npm/release-embed-$part.wasm"
done
# The archive part's worker (js/archive-worker.js: the part's glue and the engine that fetches its
# pieces), a script of its own: classic, hashed and checked by the script; an ES module in the npm
# package, which bundlers ship as a worker. The page's own script imports neither.
worker_quiet=(--log-override:empty-import-meta=silent --log-level=warning)
esbuild js/archive-worker.js --bundle --format=iife --global-name=releaseEmbedArchive --minify --target=es2020 \
  "${worker_quiet[@]}" --outfile=dist/worker.js
worker="release-embed-archive-worker.$(sha256sum dist/worker.js | cut -c1-12).js"
mv dist/worker.js "dist/$worker"
defines+=(--define:ARCHIVE_WORKER_FILE="\"$worker\"" --define:ARCHIVE_WORKER_INTEGRITY="\"$(sha384 "dist/$worker")\"")
esbuild js/archive-worker.js --bundle --format=esm --minify --target=es2020 "${worker_quiet[@]}" \
  --outfile=dist/npm/release-embed-archive-worker.js

# The glue's default wasm path uses import.meta, which a classic script lacks; we always pass the
# path, so the warning about it is noise. So is the glue's imports object naming the splitter's
# loader once per split import (the same module each time).
quiet=(--log-override:empty-import-meta=silent --log-override:duplicate-object-key=silent --log-level=warning)
esbuild js/script-tag.js --bundle --loader:.css=text --format=iife --minify --target=es2020 "${defines[@]}" \
  "${quiet[@]}" --outfile=dist/release-embed.js
# The snippet to paste, with Subresource Integrity for the script.
sed "s|@INTEGRITY@|$(sha384 dist/release-embed.js)|" js/SNIPPET.template.html > dist/SNIPPET.html
# The npm package (dist/npm): an ES module for bundlers and for pages without one, each wasm
# beside it, types, and a package.json whose version follows Cargo.toml.
esbuild js/module.js --bundle --loader:.css=text --format=esm --target=es2020 "${defines[@]}" "${quiet[@]}" \
  --external:./release-embed-archive-worker.js --outfile=dist/npm/release-embed.mjs
cp js/release-embed.d.ts dist/npm/release-embed.d.ts
cp README.md dist/npm/README.md
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
sed "s/@VERSION@/$version/" js/package.template.json > dist/npm/package.json
echo "dist/: $(ls dist | tr '\n' ' ')"
