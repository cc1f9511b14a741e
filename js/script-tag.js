// Entry point of dist/release-embed.js, the classic script agencies paste into a page. It finds
// the wasm next to itself, so the files can be served from any folder or CDN.
import { defineElement } from "./element.js";

// currentScript is only set while the script first runs, so read it now, not later.
const here = document.currentScript?.src || document.baseURI;
defineElement(new URL("release-embed.wasm", here));
