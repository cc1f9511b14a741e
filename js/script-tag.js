// Entry point of dist/release-embed.js, the classic script agencies paste into a page. It finds
// the wasm next to itself, so the files can be served from any folder or CDN.
import { defineElement } from "./element.js";
import { configureParts } from "./parts.js";
import { configureChunks } from "./chunks.js";
import { CHUNK_FILES, CHUNK_SPLITS } from "../pkg/chunks.script.js";

// currentScript is only set while the script first runs, so read it now, not later.
const here = document.currentScript?.src || document.baseURI;
// The content-hashed file names and their sha384, put in by the build (tools/build-dist.sh): each
// part and chunk is found next to the script, like the list view's wasm.
// The archive part runs in a worker, a file of its own checked against its sha384 too.
configureParts({
  archive: {
    url: new URL(ARCHIVE_FILE, here),
    integrity: ARCHIVE_INTEGRITY,
    worker: { url: new URL(ARCHIVE_WORKER_FILE, here), integrity: ARCHIVE_WORKER_INTEGRITY },
  },
});
configureChunks(CHUNK_FILES, CHUNK_SPLITS, here);
defineElement(new URL(WASM_FILE, here), WASM_INTEGRITY);
