#!/usr/bin/env bash
# Builds the release files into dist/: release-embed.js (classic script) and release-embed.wasm.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

WASM_CARGO_SMALL=1 tools/wasm-cargo build --release --lib
wasm=$(ls -t target/{debian-small/,}wasm32-unknown-unknown/release/release_embed.wasm 2>/dev/null | head -1 || true)

rm -rf pkg dist && mkdir -p dist
wasm-bindgen "$wasm" --target web --out-dir pkg --out-name release_embed
# LLVM's wasm uses these post-MVP features; wasm-opt must be told it may keep them.
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-reference-types --enable-multivalue --strip-debug --strip-producers pkg/release_embed_bg.wasm -o dist/release-embed.wasm
# The wasm's name carries a hash of its content, so it can be cached for ever; the script, whose
# address agencies paste, keeps a stable name and knows the wasm's.
hash=$(sha256sum dist/release-embed.wasm | cut -c1-12)
mv dist/release-embed.wasm "dist/release-embed.$hash.wasm"
# The glue's default wasm path uses import.meta, which a classic script lacks; we always pass the
# path, so the warning about it is noise.
esbuild js/script-tag.js --bundle --format=iife --minify --target=es2020 \
  --define:WASM_FILE="\"release-embed.$hash.wasm\"" \
  --log-override:empty-import-meta=silent --outfile=dist/release-embed.js
# The snippet to paste, with Subresource Integrity for the script.
integrity="sha384-$(openssl dgst -sha384 -binary dist/release-embed.js | openssl base64 -A)"
sed "s|@INTEGRITY@|$integrity|" js/SNIPPET.template.html > dist/SNIPPET.html
# The npm package (dist/npm): an ES module for bundlers and for pages without one, the wasm
# beside it, types, and a package.json whose version follows Cargo.toml.
mkdir -p dist/npm
esbuild js/module.js --bundle --format=esm --target=es2020 --outfile=dist/npm/release-embed.mjs
cp "dist/release-embed.$hash.wasm" dist/npm/release-embed.wasm
cp js/release-embed.d.ts dist/npm/release-embed.d.ts
cp README.md dist/npm/README.md
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
sed "s/@VERSION@/$version/" js/package.template.json > dist/npm/package.json
echo "dist/: $(ls dist | tr '\n' ' ')"
