// Entry point of dist/release-embed.js, the classic script agencies paste into a page. It finds
// the wasm next to itself, so the files can be served from any folder or CDN.
import { defineElement } from "./element.js";

// currentScript is only set while the script first runs, so read it now, not later.
const here = document.currentScript?.src || document.baseURI;
// WASM_FILE is the content-hashed file name, put in by the build (tools/build-dist.sh).
defineElement(new URL(WASM_FILE, here));
